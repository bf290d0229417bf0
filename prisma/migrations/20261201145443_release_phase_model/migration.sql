-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "failure_restart_threshold" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "progress_deadline_seconds" INTEGER NOT NULL DEFAULT 300,
ADD COLUMN     "security_profile" TEXT NOT NULL DEFAULT 'restricted';

-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "superseded_by" INTEGER;

-- Releases replaced before they finished settle as superseded (they would otherwise stay pending forever).
UPDATE "releases" AS r
SET "phase" = 'superseded', "reason" = 'superseded', "superseded_by" = newest.number,
    "message" = 'replaced by v' || newest.number || ' before it finished', "phase_updated_at" = now()
FROM (SELECT "environment_id", max("number") AS number FROM "releases" GROUP BY "environment_id") AS newest
WHERE r."environment_id" = newest."environment_id" AND r."number" < newest.number
  AND r."phase" NOT IN ('succeeded', 'failed', 'superseded');
