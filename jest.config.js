/** Tests run TypeScript through swc (type checking is `npm run typecheck`, run before jest by the test script). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  testTimeout: 30000,
  // Integration suites each start their own redis-server; two at a time fits the 2-core CI machine.
  maxWorkers: 2,
};
