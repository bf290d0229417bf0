-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "applied_generation" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cluster_id" UUID,
ADD COLUMN     "desired_generation" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "last_applied_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_sync_error" TEXT,
ADD COLUMN     "observed_status" JSONB,
ADD COLUMN     "restarted_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "message" TEXT,
ADD COLUMN     "phase" TEXT NOT NULL DEFAULT 'pending',
ADD COLUMN     "phase_updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "reason" TEXT;

-- CreateTable
CREATE TABLE "clusters" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "api_url" TEXT NOT NULL,
    "credentials_ciphertext" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "sandbox" BOOLEAN NOT NULL DEFAULT false,
    "cordoned" BOOLEAN NOT NULL DEFAULT false,
    "ingress_class_name" TEXT,
    "reachable" BOOLEAN NOT NULL DEFAULT false,
    "server_version" TEXT,
    "last_error" TEXT,
    "last_probed_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "clusters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registry_credentials" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "registry" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "password_ciphertext" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "registry_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drift_events" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "environment_id" UUID NOT NULL,
    "object_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drift_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "clusters_name_key" ON "clusters"("name");

-- CreateIndex
CREATE UNIQUE INDEX "registry_credentials_team_id_registry_key" ON "registry_credentials"("team_id", "registry");

-- CreateIndex
CREATE INDEX "drift_events_environment_id_detected_at_idx" ON "drift_events"("environment_id", "detected_at");

-- CreateIndex
CREATE INDEX "environments_cluster_id_idx" ON "environments"("cluster_id");

-- AddForeignKey
ALTER TABLE "environments" ADD CONSTRAINT "environments_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
