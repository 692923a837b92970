// A realistic identify mix: 15 traits, a nested address, 3 custom traits; distinct emails.
export function identifyItem(i: number) {
  return {
    message: {
      type: 'identify',
      userId: `user-${i}`,
      anonymousId: `anon-${i}`,
      traits: {
        email: `person${i}@example.com`,
        firstName: 'Ada',
        lastName: `Lovelace${i}`,
        title: 'Analyst',
        phone: '+44 20 7946 0000',
        company: { name: 'Analytical Engines Ltd', industry: 'Computing', employee_count: 120 },
        website: 'https://example.com',
        rating: 'Warm',
        leadSource: 'Web',
        description: 'Signed up from the pricing page',
        address: {
          street: '12 St James Square',
          city: 'London',
          state: 'London',
          postalCode: 'SW1Y 4JH',
          country: 'UK',
        },
        plan: 'pro',
        signupCohort: '2026-11',
        isTrial: true,
      },
      context: { library: { name: 'analytics.js', version: '2.11.1' }, ip: '203.0.113.7' },
      integrations: { Salesforce: true },
      timestamp: '2026-11-22T10:00:00.000Z',
    },
    metadata: { jobId: i, sourceId: 'src-1' },
    destination: { Config: {} },
  };
}

/** identify naming its Contact by Id (context.externalId): the contact rule updates that record. */
export function contactItem(i: number) {
  const item = identifyItem(i);
  const id = `003${String(i).padStart(12, '0')}AAA`;
  return {
    ...item,
    message: {
      ...item.message,
      context: { ...item.message.context, externalId: [{ type: 'Salesforce-Contact', id }] },
    },
  };
}

/** group → Account upsert found by AccountNumber = groupId. */
export function groupItem(i: number) {
  return {
    message: {
      type: 'group',
      userId: `user-${i}`,
      groupId: `acct-${i}`,
      traits: {
        name: `Analytical Engines ${i}`,
        industry: 'Computing',
        employees: 120,
        website: 'https://example.com',
        phone: '+44 20 7946 0000',
        description: 'Customer since 2024',
        address: {
          street: '12 St James Square',
          city: 'London',
          state: 'London',
          postalCode: 'SW1Y 4JH',
          country: 'UK',
        },
        tier: 'gold',
      },
      context: { library: { name: 'analytics.js', version: '2.11.1' }, ip: '203.0.113.7' },
      integrations: { Salesforce: true },
      timestamp: '2026-11-22T10:00:00.000Z',
    },
    metadata: { jobId: i, sourceId: 'src-1' },
    destination: { Config: {} },
  };
}

/** track "Issue Submitted" → create a Case (the shipped example rule, selected by the destination). */
export function caseItem(i: number) {
  return {
    message: {
      type: 'track',
      event: 'Issue Submitted',
      userId: `user-${i}`,
      properties: {
        priority: 'High',
        email: `person${i}@example.com`,
        productName: 'Difference Engine',
        description: 'The crank sticks',
      },
      context: { library: { name: 'analytics.js', version: '2.11.1' }, ip: '203.0.113.7' },
      integrations: { Salesforce: true },
      timestamp: '2026-11-22T10:00:00.000Z',
    },
    metadata: { jobId: i, sourceId: 'src-1' },
    destination: { Config: { mappings: ['issue-submitted-case'] } },
  };
}
