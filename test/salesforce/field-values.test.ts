import { expect } from 'chai';
import { coerceForField } from '../../src/salesforce/field-values.js';
import type { FieldMetadata, FieldType } from '../../src/salesforce/object-metadata.js';

const field = (name: string, type: FieldType, extra: Partial<FieldMetadata> = {}): FieldMetadata => ({
  name,
  type,
  ...extra,
});

describe('salesforce/field-values', () => {
  const employees = field('NumberOfEmployees', 'int');
  const revenue = field('AnnualRevenue', 'currency');
  const probability = field('Probability', 'percent');
  const latitude = field('Latitude', 'double');
  const optOut = field('HasOptedOutOfEmail', 'boolean');
  const closeDate = field('CloseDate', 'date');
  const bounced = field('EmailBouncedDate', 'datetime');
  const accountNumber = field('AccountNumber', 'string', { length: 40 });

  it('turns numeric strings into numbers for number fields', () => {
    expect(coerceForField(employees, '42')).to.deep.equal({ value: 42 });
    expect(coerceForField(employees, ' 7 ')).to.deep.equal({ value: 7 });
    expect(coerceForField(revenue, '1250000.50')).to.deep.equal({ value: 1250000.5 });
    expect(coerceForField(probability, 75)).to.deep.equal({ value: 75 });
    expect(coerceForField(latitude, '-33.8688')).to.deep.equal({ value: -33.8688 });
    expect(coerceForField(revenue, '1e6')).to.deep.equal({ value: 1000000 });
  });

  it('refuses what is not a number, naming the field and the type', () => {
    expect(coerceForField(employees, 'about 40')).to.deep.equal({
      error: 'NumberOfEmployees: expected a number (int), got "about 40"',
    });
    expect(coerceForField(employees, '4.5')).to.deep.equal({
      error: 'NumberOfEmployees: expected a whole number (int), got "4.5"',
    });
    expect(coerceForField(revenue, ''))
      .to.have.property('error')
      .that.matches(/^AnnualRevenue: expected a number \(currency\)/);
    expect(coerceForField(revenue, true)).to.have.property('error');
    expect(coerceForField(revenue, { amount: 1 })).to.deep.equal({
      error: 'AnnualRevenue: expected a number (currency), got an object',
    });
    expect(coerceForField(latitude, Number.NaN)).to.have.property('error');
    expect(coerceForField(latitude, '0x10')).to.have.property('error');
  });

  it('reads booleans from true/false strings', () => {
    expect(coerceForField(optOut, 'true')).to.deep.equal({ value: true });
    expect(coerceForField(optOut, 'FALSE')).to.deep.equal({ value: false });
    expect(coerceForField(optOut, false)).to.deep.equal({ value: false });
    expect(coerceForField(optOut, 1)).to.deep.equal({ value: true });
    expect(coerceForField(optOut, 'yes')).to.deep.equal({
      error: 'HasOptedOutOfEmail: expected true or false (boolean), got "yes"',
    });
  });

  it('writes dates as yyyy-MM-dd, the calendar date as written, from any ISO date or date-time', () => {
    expect(coerceForField(closeDate, '2024-03-01')).to.deep.equal({ value: '2024-03-01' });
    expect(coerceForField(closeDate, '2024-03-01T10:15:00Z')).to.deep.equal({ value: '2024-03-01' });
    // Converting to UTC first would move a deal closing on New Year's Eve in New York into next year.
    expect(coerceForField(closeDate, '2024-12-31T23:30:00-05:00')).to.deep.equal({ value: '2024-12-31' });
    expect(coerceForField(closeDate, '2024-03-01T00:30:00.123456+0200')).to.deep.equal({ value: '2024-03-01' });
    expect(coerceForField(closeDate, '2024-02-30T10:00:00Z')).to.have.property('error');
    expect(coerceForField(closeDate, '2024-02-30'))
      .to.have.property('error')
      .that.matches(/^CloseDate: expected an ISO date yyyy-MM-dd/);
    expect(coerceForField(closeDate, '03/01/2024')).to.have.property('error');
    expect(coerceForField(closeDate, 1709251200000)).to.have.property('error');
  });

  it('writes date-times as ISO UTC', () => {
    expect(coerceForField(bounced, '2024-03-01T10:15:00+01:00')).to.deep.equal({ value: '2024-03-01T09:15:00.000Z' });
    expect(coerceForField(bounced, '2024-03-01 10:15')).to.deep.equal({ value: '2024-03-01T10:15:00.000Z' });
    expect(coerceForField(bounced, '2024-03-01')).to.deep.equal({ value: '2024-03-01T00:00:00.000Z' });
    expect(coerceForField(bounced, 'yesterday'))
      .to.have.property('error')
      .that.matches(/^EmailBouncedDate: expected an ISO date-time/);
  });

  it('turns numbers and booleans into strings for text fields', () => {
    expect(coerceForField(accountNumber, 813)).to.deep.equal({ value: '813' });
    expect(coerceForField(accountNumber, true)).to.deep.equal({ value: 'true' });
    expect(coerceForField(accountNumber, '813')).to.deep.equal({ value: '813' });
    expect(coerceForField(field('Interests__c', 'multipicklist', { length: 4099 }), ['a', 'b'])).to.deep.equal({
      value: 'a;b',
    });
    expect(coerceForField(accountNumber, ['a'])).to.deep.equal({
      error: 'AccountNumber: expected text (string), got a list',
    });
  });

  it('passes null (clear the field) and refuses undefined', () => {
    expect(coerceForField(employees, null)).to.deep.equal({ value: null });
    expect(coerceForField(undefined, null)).to.deep.equal({ value: null });
    expect(coerceForField(employees, undefined)).to.deep.equal({ error: 'NumberOfEmployees: no value' });
  });

  it('passes scalars unchanged for fields without metadata, but not objects', () => {
    expect(coerceForField(undefined, 'x')).to.deep.equal({ value: 'x' });
    expect(coerceForField(undefined, 0)).to.deep.equal({ value: 0 });
    expect(coerceForField(undefined, false)).to.deep.equal({ value: false });
    expect(coerceForField(undefined, { a: 1 }))
      .to.have.property('error')
      .that.matches(/expected a single value, got an object/);
  });

  it('keeps long offending values out of the error message', () => {
    const r = coerceForField(employees, 'x'.repeat(500));
    expect('error' in r && r.error.length).to.be.lessThan(120);
  });
});
