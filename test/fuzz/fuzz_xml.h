/*
 * fuzz_xml.h — what the XML harnesses share: an external entity loader that aborts (no
 * file, DTD or URL may ever be asked for) and libxml2's generic error output silenced.
 */
#ifndef WC_FUZZ_XML_H
#define WC_FUZZ_XML_H

#include <stdlib.h>

#include <libxml/parser.h>

/* Any external entity, DTD, file or URL asked for is a failure. */
static xmlParserInputPtr
fuzz_no_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void) url;
	(void) id;
	(void) ctxt;
	abort();
}

static void
fuzz_quiet(void *ctx, const char *msg,...)
{
	(void) ctx;
	(void) msg;
}

/* Installs both before each input. */
static void
fuzz_xml_setup(void)
{
	xmlSetExternalEntityLoader(fuzz_no_entity);
	xmlSetGenericErrorFunc(NULL, fuzz_quiet);
}

#endif							/* WC_FUZZ_XML_H */
