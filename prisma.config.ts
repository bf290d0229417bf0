// Prisma CLI configuration (Prisma 7 keeps connection URLs out of schema.prisma).
// Berth itself never runs the native schema engine: see src/database/migrator.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
