// Warehouse names from Salesforce API names, the way Segment's warehouses spell them:
// FirstName → first_name, SystemModstamp → system_modstamp, Invoice_Total__c → invoice_total__c.

/** snake_case of an API name; acronyms stay together (`MobilePhoneURL` → `mobile_phone_url`). */
export function snakeCase(apiName: string): string {
  return apiName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Warehouse identifiers used by every adapter: letters, digits and underscores only (validated, then quoted). */
const WAREHOUSE_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function assertWarehouseIdentifier(name: string, what: string): string {
  if (!WAREHOUSE_IDENTIFIER.test(name) || name.length > 63) {
    throw new Error(
      `invalid ${what} name ${JSON.stringify(name)}: lower-case letters, digits and _ only, at most 63 characters`,
    );
  }
  return name;
}
