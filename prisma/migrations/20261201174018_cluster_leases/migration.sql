-- CreateTable
CREATE TABLE "berth_replicas" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "berth_replicas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cluster_leases" (
    "cluster_id" UUID NOT NULL,
    "holder" TEXT,
    "epoch" BIGINT NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acquired_at" TIMESTAMPTZ(6),

    CONSTRAINT "cluster_leases_pkey" PRIMARY KEY ("cluster_id")
);

-- CreateIndex
CREATE INDEX "berth_replicas_heartbeat_at_idx" ON "berth_replicas"("heartbeat_at");

-- CreateIndex
CREATE INDEX "cluster_leases_holder_idx" ON "cluster_leases"("holder");

-- AddForeignKey
ALTER TABLE "cluster_leases" ADD CONSTRAINT "cluster_leases_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;
