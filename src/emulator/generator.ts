// A seeded, deterministic org filler for the source sync's tests and bench: every queryable
// object of the org, related as a real org is (Contacts and Opportunities belong to Accounts,
// contact roles join an Opportunity to a Contact of the same Account, line items point at price
// book entries, …), up to a million rows in a few seconds. Rows are plain objects with the same
// field order per object (one hidden class each); timestamps are whole minutes from a shared
// string cache, so SystemModstamp ties happen as they do after Salesforce bulk updates.

import { orgId18 } from './org/record-ids.js';
import { sfDatetime } from './datetime.js';
import type { FieldMetadata, ObjectMetadata } from './org/metadata.js';
import { Prng } from './prng.js';
import type { StoredRecord } from './store.js';
import type { EmulatorState } from './state.js';

export interface GenerateOptions {
  /** About how many rows in total (the mix below decides the split). */
  rows: number;
  /** Same seed, same rows (ids, values, timestamps relative to `now`). Default 1. */
  seed?: number;
  /** Creation dates spread over this many days before now. Default 365. */
  days?: number;
  /** Share of rows already soft-deleted (on objects that have IsDeleted). Default 0.01. */
  deletedShare?: number;
  /** Only these objects (and nothing else); default every queryable object of the org. */
  objects?: string[];
}

export interface GenerateReport {
  rows: number;
  counts: Record<string, number>;
  ms: number;
}

/** Rows per "unit" of org size; fixed counts for reference data that does not grow with it. */
const MIX: Record<string, number> = {
  Account: 1,
  Contact: 3,
  AccountContactRole: 0.5,
  Opportunity: 1.5,
  OpportunityContactRole: 1,
  OpportunityLineItem: 2,
  OpportunityLineItemSchedule: 1,
  OpportunityCompetitor: 0.3,
  OpportunityFieldHistory: 3,
  Lead: 3,
  Campaign: 0.05,
  CampaignMember: 2,
  CampaignShare: 0.05,
  Case: 1.5,
  CaseComment: 2,
  CaseContactRole: 0.3,
  Solution: 0.1,
  CaseSolution: 0.2,
  Contract: 0.3,
  Task: 5,
  Event: 2,
  Note: 1,
  Document: 0.05,
  Dashboard: 0.01,
  Invoice__c: 1,
  User: 0.02,
  UserLogin: 0.02,
  Group: 0.004,
  AccountTag: 0.2,
  CampaignTag: 0.02,
  CaseTag: 0.1,
  ContactTag: 0.2,
  ContractTag: 0.05,
  DashboardTag: 0.01,
  DocumentTag: 0.01,
  EventTag: 0.05,
  LeadTag: 0.2,
  NoteTag: 0.05,
  OpportunityTag: 0.2,
  SolutionTag: 0.02,
  TaskTag: 0.1,
};
const FIXED: Record<string, number> = {
  Profile: 8,
  UserRole: 12,
  Period: 48,
  OpportunityStage: 10,
  Pricebook2: 3,
  Product2: 60,
  PricebookEntry: 120,
};

/** Parents before children, so every reference can point at an existing row. */
const ORDER = [
  'Profile',
  'UserRole',
  'User',
  'UserLogin',
  'Group',
  'Period',
  'OpportunityStage',
  'Product2',
  'Pricebook2',
  'PricebookEntry',
  'Account',
  'Contact',
  'AccountContactRole',
  'Campaign',
  'CampaignShare',
  'Lead',
  'CampaignMember',
  'Opportunity',
  'OpportunityContactRole',
  'OpportunityLineItem',
  'OpportunityLineItemSchedule',
  'OpportunityCompetitor',
  'OpportunityFieldHistory',
  'Solution',
  'Case',
  'CaseComment',
  'CaseContactRole',
  'CaseSolution',
  'Contract',
  'Task',
  'Event',
  'Note',
  'Dashboard',
  'Document',
  'Invoice__c',
];

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'Edsger',
  'Radia',
  'Tim',
  'Katherine',
  'John',
  'Hedy',
  'Niklaus',
  'Sophie',
  'Guido',
  'Anita',
  'Bjarne',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Berners-Lee',
  'Johnson',
  'McCarthy',
  'Lamarr',
  'Wirth',
  'Wilson',
  'van Rossum',
  'Borg',
  'Stroustrup',
];
const COMPANY_A = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Vandelay',
  'Massive',
  'Aperture',
  'Black Mesa',
  'Oscorp',
];
const COMPANY_B = ['Corp', 'Inc', 'Industries', 'Labs', 'Systems', 'Group', 'Holdings', 'Partners'];
const CITIES: [string, string, string, string, number, number][] = [
  ['San Francisco', 'CA', 'United States', '94105', 37.79, -122.39],
  ['New York', 'NY', 'United States', '10001', 40.75, -73.99],
  ['London', '', 'United Kingdom', 'EC1A 1BB', 51.52, -0.1],
  ['Paris', '', 'France', '75002', 48.87, 2.34],
  ['Berlin', '', 'Germany', '10115', 52.53, 13.38],
  ['Tokyo', '', 'Japan', '100-0005', 35.68, 139.77],
  ['Austin', 'TX', 'United States', '78701', 30.27, -97.74],
  ['Toronto', 'ON', 'Canada', 'M5H 2N2', 43.65, -79.38],
];
const TITLES = [
  'CEO',
  'CTO',
  'VP Sales',
  'Data Engineer',
  'Analyst',
  'Marketing Manager',
  'Buyer',
  'Head of IT',
  'Controller',
  'Developer',
];
const WORDS = [
  'renewal',
  'upgrade',
  'pilot',
  'expansion',
  'support',
  'follow-up',
  'onboarding',
  'pricing',
  'integration',
  'migration',
  'training',
  'audit',
];
const SUBJECTS = ['Call', 'Email', 'Meeting', 'Send Quote', 'Follow up', 'Demo'];
/** first.last, for 400 people; with the row number and a company domain every address is unique. */
const LOCAL_PARTS = LAST.flatMap((l) => FIRST.map((f) => `${f}.${l}`.toLowerCase().replace(/[^a-z0-9.-]/g, '')));
const DOMAINS = COMPANY_A.map((c) => `${c.toLowerCase().replace(/[^a-z0-9]/g, '')}.example.com`);

type Gen = (i: number, rng: Prng) => unknown;

/**
 * Shared whole-minute timestamp strings, by minutes before `now` (an array: no hashing per row),
 * each built from a cached day and a cached time of day rather than by Date formatting.
 */
class StampCache {
  /** Packed (filled with '' up front): a sparse array this long would fall back to a hash table. */
  private readonly byMinute: string[] = [];
  private readonly days = new Map<number, string>();
  private readonly times: string[] = [];
  private readonly nowMinute: number;
  constructor(now: number, spanMinutes: number) {
    this.nowMinute = Math.floor(now / 60000);
    for (let m = 0; m <= spanMinutes + 1; m++) this.byMinute.push('');
    for (let m = 0; m < 1440; m++)
      this.times.push(`T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00.000+0000`);
  }
  text(ms: number): string {
    const minute = Math.floor(ms / 60000);
    const back = this.nowMinute - minute;
    if (back < 0 || back >= this.byMinute.length) return sfDatetime(minute * 60000);
    let s = this.byMinute[back];
    if (s === '') {
      s = this.day(Math.floor(minute / 1440)) + this.times[minute % 1440];
      this.byMinute[back] = s;
    }
    return s;
  }
  /** "2026-12-01" for a day number since the epoch. */
  day(dayNumber: number): string {
    let d = this.days.get(dayNumber);
    if (d === undefined) {
      d = sfDatetime(dayNumber * 86400000).slice(0, 10);
      this.days.set(dayNumber, d);
    }
    return d;
  }
}

/** The audit values a row factory takes apart from the generated fields. */
interface Audit {
  id: string;
  deleted: boolean;
  created: string;
  modified: string;
}

type RowFactory = (a: Audit, gens: Gen[], i: number, rng: Prng) => StoredRecord;

/**
 * Builds one object literal per row with every field named in it, so all rows of an object share a
 * hidden class with in-object fields. Adding 50 fields one by one through computed keys would turn
 * each row into a hash table (V8's limit for keyed adds), about five times the memory.
 */
function rowFactory(fields: string[], generated: string[]): RowFactory {
  const audit: Record<string, string> = {
    Id: 'a.id',
    IsDeleted: 'a.deleted',
    CreatedDate: 'a.created',
    LastModifiedDate: 'a.modified',
    SystemModstamp: 'a.modified',
  };
  const parts = ['Id: a.id', 'IsDeleted: a.deleted'];
  for (const name of fields) {
    if (name === 'Id' || name === 'IsDeleted') continue;
    const k = generated.indexOf(name);
    // Names are API names (letters, digits, underscores), checked by the registry; quoted anyway.
    if (audit[name]) parts.push(`${JSON.stringify(name)}: ${audit[name]}`);
    else if (k >= 0) parts.push(`${JSON.stringify(name)}: g[${k}](i, r)`);
  }
  // One straight-line factory per object makes generating a million rows cheap; the names are
  // API names checked by the registry and quoted with JSON.stringify.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('a', 'g', 'i', 'r', `return { ${parts.join(', ')} };`) as RowFactory;
}

/** Ids in their own namespace (`5h` after the key prefix), so they never meet ones the API hands out. */
function idFor(prefix: string, n: number): string {
  let tail = '';
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  for (let k = 0, v = n; k < 10; k++, v = Math.floor(v / 62)) tail = alphabet[v % 62] + tail;
  return orgId18(`${prefix}5h${tail}`);
}

function planCounts(state: EmulatorState, opts: GenerateOptions): Record<string, number> {
  const wanted = new Set(
    (
      opts.objects ??
      state.registry
        .list()
        .filter((o) => o.queryable !== false && o.keyPrefix !== '')
        .map((o) => o.name)
    ).map((n) => state.registry.get(n)?.name ?? n),
  );
  const fixed = Object.entries(FIXED).filter(([o]) => wanted.has(o));
  const fixedTotal = fixed.reduce((s, [, n]) => s + n, 0);
  const mixed = [...wanted].filter((o) => !(o in FIXED));
  const weight = mixed.reduce((s, o) => s + (MIX[o] ?? 0.05), 0);
  const units = Math.max(0, opts.rows - fixedTotal) / (weight || 1);
  const counts: Record<string, number> = {};
  for (const [o, n] of fixed) counts[o] = Math.min(n, Math.max(1, Math.round(opts.rows / 40)));
  for (const o of mixed) counts[o] = Math.max(1, Math.round(units * (MIX[o] ?? 0.05)));
  return counts;
}

/** Fills the org (adds to what is there). Deterministic for the same seed, sizes and clock. */
export function generateOrg(state: EmulatorState, opts: GenerateOptions): GenerateReport {
  if (!Number.isInteger(opts.rows) || opts.rows < 0 || opts.rows > 2_000_000)
    throw new Error('rows must be an integer from 0 to 2,000,000');
  const started = performance.now();
  const rng = new Prng((opts.seed ?? 1) ^ 0x6e4e7a);
  const counts = planCounts(state, opts);
  const now = state.now().getTime();
  const span = (opts.days ?? 365) * 86400000;
  const deletedShare = opts.deletedShare ?? 0.01;
  const stamps = new StampCache(now, Math.ceil(span / 60000));
  const pools = new Map<string, string[]>();
  // Offsets keep a second generate() on the same org from reusing ids.
  const offset = state.store.size();
  const names = [...ORDER.filter((o) => o in counts), ...Object.keys(counts).filter((o) => !ORDER.includes(o))];
  let total = 0;
  for (const name of names) {
    const meta = state.registry.get(name);
    if (!meta) throw new Error(`unknown object ${name}`);
    const n = counts[name];
    const gens = fieldGenerators(meta, pools, now, span, stamps);
    const make = rowFactory(
      Object.keys(meta.fields),
      gens.map(([f]) => f),
    );
    const genFns = gens.map(([, g]) => g);
    const ids: string[] = new Array<string>(n);
    const hasDeleted = meta.fields.IsDeleted !== undefined;
    const latest = now - 60000;
    for (let i = 0; i < n; i++) {
      const created = latest - Math.floor(rng.next() * span);
      const audit: Audit = {
        id: idFor(meta.keyPrefix, offset + total + i),
        deleted: hasDeleted && rng.next() < deletedShare,
        created: stamps.text(created),
        modified: stamps.text(created + Math.floor(rng.next() * (latest - created))),
      };
      state.store.insert(meta.name, make(audit, genFns, i, rng));
      ids[i] = audit.id;
    }
    pools.set(meta.name, ids);
    total += n;
  }
  return { rows: total, counts, ms: Math.round(performance.now() - started) };
}

/** One value generator per field, in describe order (audit fields and compounds excluded). */
function fieldGenerators(
  meta: ObjectMetadata,
  pools: Map<string, string[]>,
  now: number,
  span: number,
  stamps: StampCache,
): [string, Gen][] {
  const out: [string, Gen][] = [];
  for (const f of Object.values(meta.fields)) {
    if (['Id', 'IsDeleted', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'].includes(f.name)) continue;
    if (f.type === 'address' || f.type === 'location') continue;
    out.push([f.name, valueFor(meta, f, pools, now, span, stamps)]);
  }
  return out;
}

const pick = <T>(list: readonly T[], rng: Prng): T => list[rng.int(list.length)];

function valueFor(
  meta: ObjectMetadata,
  f: FieldMetadata,
  pools: Map<string, string[]>,
  now: number,
  span: number,
  stamps: StampCache,
): Gen {
  const n = f.name;
  const city = (i: number): (typeof CITIES)[number] => CITIES[i % CITIES.length];
  // Names that carry meaning first, then the type decides.
  if (n === 'FirstName') return (i) => FIRST[i % FIRST.length];
  if (n === 'LastName') return (i) => LAST[Math.floor(i / FIRST.length) % LAST.length];
  if (n === 'Name' && (meta.fields.FirstName || f.readOnly)) {
    return meta.fields.FirstName
      ? (i) => `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`
      : (i) => `${meta.label ?? meta.name} ${i + 1}`;
  }
  if (n === 'Name' && meta.name === 'Account')
    return (i) =>
      `${COMPANY_A[i % COMPANY_A.length]} ${COMPANY_B[Math.floor(i / COMPANY_A.length) % COMPANY_B.length]} ${Math.floor(i / 128) || ''}`.trim();
  if (n === 'Name' && meta.name === 'Opportunity')
    return (i, r) => `${COMPANY_A[i % COMPANY_A.length]} ${pick(WORDS, r)}`;
  if (n === 'Company' || n === 'CompanyName' || n === 'SuppliedCompany')
    return (i) => `${COMPANY_A[i % COMPANY_A.length]} ${COMPANY_B[i % COMPANY_B.length]}`;
  if (f.type === 'email' || n === 'Username')
    return (i) => `${LOCAL_PARTS[i % LOCAL_PARTS.length]}.${i}@${DOMAINS[i % DOMAINS.length]}`;
  if (n === 'Alias') return (i) => `u${i}`.slice(0, 8);
  if (n === 'Title' && f.type === 'string') return (i) => TITLES[i % TITLES.length];
  if (n === 'Subject' || f.type === 'combobox') return (_i, r) => pick(SUBJECTS, r);
  if (f.compoundFieldName) {
    const part = n.slice(
      n.length -
        (
          ['PostalCode', 'GeocodeAccuracy', 'Latitude', 'Longitude', 'Street', 'Country', 'State', 'City'].find((p) =>
            n.endsWith(p),
          ) ?? ''
        ).length,
    );
    switch (part) {
      case 'Street':
        return (i) => `${(i % 900) + 100} Market Street`;
      case 'City':
        return (i) => city(i)[0];
      case 'State':
        return (i) => city(i)[1] || null;
      case 'Country':
        return (i) => city(i)[2];
      case 'PostalCode':
        return (i) => city(i)[3];
      case 'Latitude':
        return (i) => city(i)[4];
      case 'Longitude':
        return (i) => city(i)[5];
      case 'GeocodeAccuracy':
        return () => 'Address';
      default:
        if (n.endsWith('__Latitude__s')) return (i) => city(i)[4];
        if (n.endsWith('__Longitude__s')) return (i) => city(i)[5];
    }
  }
  if (f.calculated) {
    if (n === 'Weighted_Amount__c') return (_i, r) => Math.round(r.next() * 5_000_000) / 100;
    return (_i, r) => (r.next() < 0.3 ? 90 : 50);
  }
  switch (f.type) {
    case 'id':
      return () => null;
    case 'reference': {
      const targets = f.referenceTo ?? [];
      const accounts = pools.get('Account')?.length ?? 0;
      const contacts = pools.get('Contact') ?? [];
      const opportunities = pools.get('Opportunity')?.length ?? 0;
      // Rows are related by index: Account a has Contacts a, a + A, a + 2A, … and Opportunities
      // likewise (their AccountId is i % A), so a row's account is known without a lookup.
      const accountOf =
        meta.fields.AccountId && n !== 'AccountId'
          ? (i: number): number => i % accounts
          : meta.fields.OpportunityId
            ? (i: number): number => (i % Math.max(1, opportunities)) % accounts
            : undefined;
      if (n === 'ContactId' && accountOf && accounts > 0 && contacts.length > 0) {
        // A contact of the same account: the contact role, case or line joins things that belong together.
        return (i, r) => {
          const a = accountOf(i);
          const perAccount = Math.floor((contacts.length - 1 - a) / accounts) + 1;
          return perAccount > 0 ? contacts[a + accounts * r.int(perAccount)] : null;
        };
      }
      const byIndex = n === 'AccountId' || n === 'OpportunityId' || n.endsWith('__c');
      return (i, r) => {
        for (const t of targets) {
          const pool = pools.get(t);
          if (!pool || pool.length === 0) continue;
          return pool[(byIndex ? i : r.int(pool.length)) % pool.length];
        }
        return null;
      };
    }
    case 'boolean':
      return (_i, r) => r.next() < 0.3;
    case 'int':
      return (_i, r) => r.int(n.includes('Employees') ? 50000 : 1000);
    case 'double':
      return (_i, r) => Math.round(r.next() * 10000) / 100;
    case 'percent':
      return (_i, r) => r.int(11) * 10;
    case 'currency':
      return (_i, r) => Math.round(r.next() * 10_000_000) / 100;
    case 'date':
      return (_i, r) => stamps.day(Math.floor((now - Math.floor(r.next() * span)) / 86400000));
    case 'datetime':
      return (_i, r) => stamps.text(now - Math.floor(r.next() * span));
    case 'time':
      return (i) => `${String(8 + (i % 10)).padStart(2, '0')}:30:00.000Z`;
    case 'picklist': {
      const values = f.picklistValues ?? [];
      return (_i, r) => (values.length === 0 ? null : pick(values, r));
    }
    case 'multipicklist': {
      const values = f.picklistValues ?? [];
      return (i) =>
        values.length === 0
          ? null
          : [values[i % values.length], values[(i + 1) % values.length]]
              .filter((v, k, a) => a.indexOf(v) === k)
              .join(';');
    }
    case 'phone':
      return (i) => `+1 415 555 ${String(1000 + (i % 9000))}`;
    case 'url':
      return (i) => `https://www.${DOMAINS[i % DOMAINS.length]}`;
    case 'textarea':
      return (i, r) => (r.next() < 0.5 ? null : `${pick(WORDS, r)} ${pick(WORDS, r)} note ${i}`);
    case 'base64':
      return (i, r) => (r.next() < 0.2 ? Buffer.from(`file ${i}`).toString('base64') : null);
    case 'anyType':
      return (_i, r) => pick(WORDS, r);
    default:
      return (i) => `${f.label ?? n.replace(/__c$/, '')} ${i + 1}`.slice(0, f.length ?? 255);
  }
}
