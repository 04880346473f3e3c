// Handlebars templates are imported as text: esbuild's "text" loader in the bundle, a small plugin in vitest.
declare module '*.hbs' {
  const source: string;
  export default source;
}
