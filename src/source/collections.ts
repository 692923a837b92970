// The collections a source syncs: seed 000's table (warehouse table name → Salesforce object), in the
// seed's order and with its names, plus custom objects the config names by API name.
import { assertApiName } from '../salesforce/api-names.js';
import { snakeCase } from './naming.js';

export interface Collection {
  /** The warehouse table (and the name users pass to --collections). */
  name: string;
  /** The Salesforce object's API name. */
  object: string;
  /** The seed's table says Salesforce cannot query this object (Name); reported, never read. */
  queryable?: false;
}

/** Objects the seed's table itself calls non-queryable. */
const NOT_QUERYABLE: ReadonlySet<string> = new Set(['Name']);

/** Seed 000's collections table, verbatim: these names are what Segment users' queries already use. */
export const STANDARD_COLLECTIONS: readonly Collection[] = [
  ['accounts', 'Account'],
  ['account_contact_roles', 'AccountContactRole'],
  ['account_tags', 'AccountTag'],
  ['campaigns', 'Campaign'],
  ['campaign_members', 'CampaignMember'],
  ['campaign_shares', 'CampaignShare'],
  ['campaign_tags', 'CampaignTag'],
  ['cases', 'Case'],
  ['case_comments', 'CaseComment'],
  ['case_contact_role', 'CaseContactRole'],
  ['case_solution', 'CaseSolution'],
  ['case_tags', 'CaseTag'],
  ['contacts', 'Contact'],
  ['contact_tags', 'ContactTag'],
  ['contracts', 'Contract'],
  ['contract_tags', 'ContractTag'],
  ['dashboards', 'Dashboard'],
  ['dashboard_tags', 'DashboardTag'],
  ['documents', 'Document'],
  ['document_tags', 'DocumentTag'],
  ['events', 'Event'],
  ['event_tags', 'EventTag'],
  ['_group', 'Group'],
  ['leads', 'Lead'],
  ['lead_tags', 'LeadTag'],
  ['names', 'Name'],
  ['notes', 'Note'],
  ['note_tags', 'NoteTag'],
  ['opportunities', 'Opportunity'],
  ['opportunity_competitor', 'OpportunityCompetitor'],
  ['opportunity_contact_role', 'OpportunityContactRole'],
  ['opportunity_field_history', 'OpportunityFieldHistory'],
  ['opportunity_product', 'OpportunityLineItem'],
  ['opportunity_line_item_schedules', 'OpportunityLineItemSchedule'],
  ['opportunity_stage', 'OpportunityStage'],
  ['opportunity_tag', 'OpportunityTag'],
  ['period', 'Period'],
  ['price_books', 'Pricebook2'],
  ['price_book_entries', 'PricebookEntry'],
  ['products', 'Product2'],
  ['profile', 'Profile'],
  ['solutions', 'Solution'],
  ['solution_tags', 'SolutionTag'],
  ['tasks', 'Task'],
  ['task_tags', 'TaskTag'],
  ['users', 'User'],
  ['user_login', 'UserLogin'],
  ['role', 'UserRole'],
].map(([name, object]) => (NOT_QUERYABLE.has(object) ? { name, object, queryable: false as const } : { name, object }));

/** A custom object's table: its API name in snake case (`Invoice_Line__c` → `invoice_line__c`). */
function customCollection(objectApiName: string): Collection {
  assertApiName(objectApiName, 'custom object');
  return { name: snakeCase(objectApiName), object: objectApiName };
}

export class UnknownCollectionError extends Error {
  constructor(
    readonly collection: string,
    known: readonly string[],
  ) {
    super(
      `unknown collection "${collection}": expected one of the seed's collections (${known.slice(0, 6).join(', ')}, …) or a configured custom object's table`,
    );
    this.name = 'UnknownCollectionError';
  }
}

/**
 * The collections of one source: the standard ones (or the subset `include` names) and its custom
 * objects; `only` (from --collections) narrows them further and must name known collections.
 */
export function collectionsOf(options: {
  include?: string[];
  customObjects?: string[];
  only?: string[];
}): Collection[] {
  const custom = (options.customObjects ?? []).map(customCollection);
  const everything = [...STANDARD_COLLECTIONS, ...custom];
  const byName = new Map(everything.map((c) => [c.name, c]));
  const pick = (names: string[]): Collection[] =>
    names.map((n) => {
      const c = byName.get(n);
      if (!c) throw new UnknownCollectionError(n, [...byName.keys()]);
      return c;
    });
  let chosen = options.include
    ? [...pick(options.include), ...custom.filter((c) => !options.include?.includes(c.name))]
    : everything;
  if (options.only) {
    const wanted = new Set(pick(options.only).map((c) => c.name));
    chosen = chosen.filter((c) => wanted.has(c.name));
  }
  return chosen;
}
