-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "applied_objects" TEXT[] DEFAULT ARRAY[]::TEXT[];
