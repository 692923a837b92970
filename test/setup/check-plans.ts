// Loaded before any test (.mocharc "require"): every Plan the executor builds during the suite is
// checked against schemas/plan.schema.json, so a plan shape the schema does not describe fails the
// test that produced it (issue 13: "the Plan schema validates every plan the tests produce").
process.env.SF_CHECK_PLANS = '1';
