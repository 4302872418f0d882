// GET /api/docs: the OpenAPI document (/api/v1/openapi.json) rendered by Swagger UI, served from the
// swagger-ui-dist package on this host, so reading the API reference makes no outside request.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
// An import (not a require.resolve) so the build links the package into dist (ops/src/cli/build.ts).
import getSwaggerUiDirectory from 'swagger-ui-dist/absolute-path.js';
import { InlineScript } from '../console/inline-script';
import { renderHtml } from '../console/support';
import type { AppEnv } from './dependencies';

/** The two files of swagger-ui-dist the page loads; nothing else in the package is served. */
const ASSET_TYPES: Readonly<Record<string, string>> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};

/** A day: the files change only with the package version, which is in the URL. */
const ASSET_CACHE_SECONDS = 86_400;

const packageDirectory: string = getSwaggerUiDirectory();
const packageVersion: string = (
  JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as { version: string }
).version;

/**
 * validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io for a badge
 * (swagger-ui docs, "Configuration", validatorUrl). docExpansion none: the page opens on the list of
 * tags and a tag opens its operations; laying out all ~150 operations at once stalled the page on a
 * slow phone (and in the browser test).
 */
const START_SCRIPT = `window.addEventListener('load',function(){window.ui=SwaggerUIBundle({
url:'/api/v1/openapi.json',dom_id:'#api-docs',deepLinking:true,validatorUrl:null,
defaultModelsExpandDepth:0,docExpansion:'none'})});`;

function ApiDocsPage(props: { assetBase: string; scriptNonce: string | undefined }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Kiunga API reference</title>
        <link rel="stylesheet" href={`${props.assetBase}/swagger-ui.css`} />
      </head>
      <body>
        <div id="api-docs" />
        <script src={`${props.assetBase}/swagger-ui-bundle.js`} nonce={props.scriptNonce} />
        <InlineScript source={START_SCRIPT} />
      </body>
    </html>
  );
}

/** Mounted at /api/docs before authentication: the reference, like the document, is public. */
export function apiDocsRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const assetBase = `/api/docs/assets/${packageVersion}`;
  // The external script needs this response's nonce too: script-src allows nothing else.
  routes.get('/', (context) =>
    renderHtml(
      context,
      <ApiDocsPage assetBase={assetBase} scriptNonce={context.get('secureHeadersNonce')} />,
    ),
  );
  routes.get('/assets/:version/:file', async (context) => {
    const file = context.req.param('file');
    const contentType = ASSET_TYPES[file];
    if (!contentType || context.req.param('version') !== packageVersion) return context.notFound();
    const body = await readFile(join(packageDirectory, file));
    return context.body(body, 200, {
      'content-type': contentType,
      'cache-control': `public, max-age=${ASSET_CACHE_SECONDS}, immutable`,
    });
  });
  return routes;
}
