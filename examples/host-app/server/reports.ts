/** The product behind the paywall: a few made-up figures, enough to show that the API answered. */
export function sampleReports() {
  return [
    { name: 'Weekly sign-ups', value: 128 },
    { name: 'Active projects', value: 42 },
    { name: 'Exports this month', value: 7 },
  ];
}
