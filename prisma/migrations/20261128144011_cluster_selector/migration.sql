-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "cluster_selector" JSONB;
