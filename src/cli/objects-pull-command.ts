// `sfmap objects pull <Object...>`: writes mappings/salesforce/objects/<Object>.yaml from an org's
// describe, so users can add their own objects and custom fields without writing metadata by hand.
// The same loader as the server then checks the file (a file it would refuse is not written).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sobjectDescribePath } from '../salesforce/api-paths.js';
import { apiVersionOf, isApiName } from '../salesforce/api-names.js';
import { metadataFromDescribe, objectFileText } from '../salesforce/describe-metadata.js';
import { parseObjectFile } from '../salesforce/object-catalog.js';
import type { Io } from './io.js';

export interface ObjectsPullOptions {
  objects: string[];
  instanceUrl: string;
  accessToken: string;
  out: string;
  apiVersion: string;
}

export async function objectsPullCommand(options: ObjectsPullOptions, io: Io): Promise<number> {
  let version: string;
  try {
    version = apiVersionOf(options.apiVersion, '--api-version');
  } catch (err) {
    io.err((err as Error).message);
    return 2;
  }
  let failed = 0;
  mkdirSync(options.out, { recursive: true });
  for (const object of options.objects) {
    if (!isApiName(object)) {
      io.err(`${String(object)}: not a Salesforce object API name`);
      failed++;
      continue;
    }
    const url = new URL(sobjectDescribePath(version, object), options.instanceUrl);
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { Authorization: `Bearer ${options.accessToken}`, Accept: 'application/json' },
        redirect: 'error',
      });
    } catch (err) {
      io.err(`${object}: cannot reach ${url.origin}: ${(err as Error).message}`);
      failed++;
      continue;
    }
    const text = await res.text();
    if (!res.ok) {
      io.err(`${object}: describe answered ${res.status}: ${text.slice(0, 300)}`);
      failed++;
      continue;
    }
    try {
      const described = metadataFromDescribe(JSON.parse(text));
      const file = join(options.out, `${described.meta.name}.yaml`);
      const yaml = objectFileText(described, `${url.origin} (API ${version})`);
      parseObjectFile(file, yaml); // the loader must accept what we write
      writeFileSync(file, yaml);
      const n = Object.keys(described.meta.fields).length;
      io.out(
        `${file}: ${described.meta.name}, ${n} fields${described.left.length > 0 ? ` (${described.left.length} not writable by the product, listed in the header)` : ''}`,
      );
    } catch (err) {
      io.err(`${object}: ${(err as Error).message}`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}
