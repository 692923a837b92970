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
        address: { street: '12 St James Square', city: 'London', state: 'London', postalCode: 'SW1Y 4JH', country: 'UK' },
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
