// GET /openapi.json: built once (the schemas are files shipped with the code).
import type { RequestHandler } from 'express';
import { readFileSync } from 'node:fs';
import { openApiDocument } from '../openapi.js';

export function openApiRoute(): RequestHandler {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const body = JSON.stringify(openApiDocument(pkg.version));
  return (_req, res) => {
    res.type('application/json').send(body);
  };
}
