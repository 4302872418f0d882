// swagger-ui-dist ships no types: its absolute-path.js exports the folder that holds the bundle and CSS.
declare module 'swagger-ui-dist/absolute-path.js' {
  const getAbsoluteFSPath: () => string;
  export default getAbsoluteFSPath;
}
