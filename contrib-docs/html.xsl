<?xml version="1.0" encoding="UTF-8"?>
<!-- contrib-docs/html.xsl: `make html` builds the manual with Debian's docbook-xsl into
     tmp/html/: a table of contents (index.html) and one page per section, in UTF-8 so
     Chinese stays text (stock docbook-xsl writes ISO-8859-1 with character references). -->
<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">
  <xsl:import href="/usr/share/xml/docbook/stylesheet/docbook-xsl/html/chunk.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>
  <xsl:param name="chunker.output.encoding">UTF-8</xsl:param>
  <xsl:param name="default.encoding">UTF-8</xsl:param>
  <xsl:param name="chunk.section.depth">2</xsl:param>
  <xsl:param name="chunk.first.sections">1</xsl:param>
  <xsl:param name="use.id.as.filename">1</xsl:param>
  <xsl:param name="generate.section.toc.level">2</xsl:param>
  <xsl:param name="chunk.quietly">1</xsl:param>
</xsl:stylesheet>
