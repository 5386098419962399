/*
 * fuzz_xml_validate.c — libFuzzer harness of schema validation (the path of
 * wagecheck.xml_validate, src/core/xmlio.c) against the shipped camt.053 schema: no crash,
 * no leak, no file or URL read while validating (the entity loader aborts if asked); a
 * document is valid exactly when no error is listed; every error's message is
 * NUL-terminated and the count stays within WCX_MAX_ERRORS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/xmlio.h"
#include "fuzz_xml.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void *schema;
static wcx_errors errs;

/* The shipped schema, read once (make test runs the harness from the top of the tree). */
static void *
load_schema(void)
{
	static char buf[1 << 20];
	char		msg[WCX_MSG_SIZE];
	FILE	   *f = fopen("src/interchange/xsd/camt.053.001.08.xsd", "rb");
	size_t		n;
	void	   *s;

	if (f == NULL)
		abort();
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	s = wcx_schema_parse(buf, n, msg, sizeof(msg));
	if (s == NULL)
		abort();
	return s;
}

/* One fuzz input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool		valid;
	int			i;

	if (schema == NULL)
		schema = load_schema();
	fuzz_xml_setup();
	memset(&errs, 0, sizeof(errs));
	valid = wcx_validate((const char *) data, size, schema, &errs);
	if (valid != (errs.count == 0) || errs.count > WCX_MAX_ERRORS || errs.count < 0)
		abort();
	for (i = 0; i < errs.count; i++)
		if (memchr(errs.e[i].message, '\0', sizeof(errs.e[i].message)) == NULL)
			abort();
	return 0;
}
