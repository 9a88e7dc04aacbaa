// The module scripts/build-site.mjs generates: KaTeX's stylesheet and woff2 fonts, base64, by
// their path under katex/dist/.
declare module "bpt:katex-files" {
  const files: Record<string, string>;
  export default files;
}
