import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  API_NAME_PATTERN,
  MAX_API_NAME_LENGTH,
  ApiNameError,
  ApiVersionError,
  apiVersionOf,
  assertApiName,
  assertApiVersion,
  isApiName,
  isCustomName,
} from '../../src/salesforce/api-names.js';

describe('api-names: the one rule for API names and versions', () => {
  describe('assertApiName', () => {
    it('accepts API names and refuses anything carrying syntax', () => {
      expect(assertApiName('Email', 'field')).to.equal('Email');
      expect(assertApiName('Product__c', 'field')).to.equal('Product__c');
      for (const bad of ['Email; DROP', '1abc', 'Name__c)', '', 'Email ', 'a-b', "Name'", 'Account.Name', '_x']) {
        expect(() => assertApiName(bad, 'field'), bad).to.throw(/Invalid field name/);
        expect(isApiName(bad), bad).to.equal(false);
      }
    });

    it('accepts relationship paths only when the caller allows them', () => {
      expect(assertApiName('ConvertedContact.Email', 'field', { allowPath: true })).to.equal('ConvertedContact.Email');
      expect(() => assertApiName('Account..Name', 'field', { allowPath: true })).to.throw();
      expect(() => assertApiName('Account.Name)', 'field', { allowPath: true })).to.throw();
    });

    it('refuses with a typed error a route can turn into a 400', () => {
      try {
        assertApiName('Lead; DROP', 'object');
        expect.fail('accepted');
      } catch (err) {
        expect(err).to.be.instanceOf(ApiNameError);
        expect((err as ApiNameError).errorCode).to.equal('INVALID_API_NAME');
        expect((err as ApiNameError).statusCode).to.equal(400);
        expect((err as ApiNameError).what).to.equal('object');
      }
      expect(isApiName('x'.repeat(256))).to.equal(false);
    });
  });

  describe('API versions', () => {
    it('reads a setting as NN.N text, numbers as typed in a dashboard', () => {
      expect(apiVersionOf('66.0')).to.equal('66.0');
      expect(apiVersionOf(59)).to.equal('59.0');
      expect(assertApiVersion('20.0')).to.equal('20.0');
    });

    it('refuses what Salesforce has no version for with ApiVersionError (a 400, never a retried 500)', () => {
      for (const bad of ['9.0', 'v66', '66', '../x', '66.0.1', '', null, {}, Infinity]) {
        expect(() => apiVersionOf(bad, 'destination.Config.apiVersion'), String(bad)).to.throw(
          ApiVersionError,
          /destination\.Config\.apiVersion .* is not a Salesforce API version like "66\.0"/,
        );
      }
      expect(() => assertApiVersion('9.0')).to.throw(ApiVersionError);
    });
  });

  it('a custom name ends in __c, in either case, and nothing else is one', () => {
    const custom = ['Score__c', 'SCORE__C', 'ns__Score__c', '__c', 'a__C'];
    const standard = [
      'Email',
      'Score_c',
      'Score__cc',
      'Score__c ',
      'Score__c\n',
      'Score__',
      '_c',
      'c',
      '',
      'Score__\u0143',
    ];
    expect(custom.filter(isCustomName)).to.deep.equal(custom);
    expect(standard.filter(isCustomName)).to.deep.equal([]);
  });

  it('every JSON Schema spells API names with the same pattern', () => {
    const dir = join(import.meta.dirname, '..', '..', 'schemas');
    for (const file of ['mapping.schema.json', 'object.schema.json', 'operation.schema.json']) {
      const text = readFileSync(join(dir, file), 'utf8');
      const patterns = [...text.matchAll(/"pattern":\s*"(\^\[A-Za-z\][^"]*)"/g)].map(
        (m) => JSON.parse(`"${m[1]}"`) as string,
      );
      expect(patterns.length, file).to.be.greaterThan(0);
      for (const p of patterns) expect(p, file).to.equal(API_NAME_PATTERN);
    }
    // The mapping files' names are refused at load beyond the length the code refuses them at.
    const mapping = JSON.parse(readFileSync(join(dir, 'mapping.schema.json'), 'utf8')) as {
      definitions: { identifier: { maxLength?: number } };
    };
    expect(mapping.definitions.identifier.maxLength).to.equal(MAX_API_NAME_LENGTH);
  });
});
