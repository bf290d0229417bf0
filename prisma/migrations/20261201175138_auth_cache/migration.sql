-- CreateTable
CREATE TABLE "access_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "access_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_cache_replicas" (
    "id" UUID NOT NULL,
    "applied" BIGINT NOT NULL,
    "lease_until" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "auth_cache_replicas_pkey" PRIMARY KEY ("id")
);

-- The authentication cache (src/modules/auth/auth-cache.ts, docs/security.md). Every change of who
-- may do what bumps the one access version and sends it with its notification. A membership ADDED
-- notifies too now (a cached caller must see a new team at once), and so do a user's name and e-mail
-- (the caller as audit events name it). Semicolons in the body are written \073 (the migration runner
-- splits statements on them).
INSERT INTO "access_version" ("id", "version") VALUES (1, 0);
CREATE OR REPLACE FUNCTION "berth_notify_access_changed"() RETURNS trigger LANGUAGE plpgsql AS E'DECLARE r RECORD\073 v BIGINT\073 BEGIN IF TG_OP = ''DELETE'' THEN r := OLD\073 ELSE r := NEW\073 END IF\073 UPDATE "access_version" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version" INTO v\073 IF TG_TABLE_NAME = ''api_tokens'' THEN PERFORM pg_notify(''berth_access_changed'', json_build_object(''token_id'', r.id, ''version'', v)::text)\073 ELSIF TG_TABLE_NAME = ''users'' THEN PERFORM pg_notify(''berth_access_changed'', json_build_object(''user_id'', r.id, ''version'', v)::text)\073 ELSE PERFORM pg_notify(''berth_access_changed'', json_build_object(''user_id'', r.user_id, ''version'', v)::text)\073 END IF\073 RETURN NULL\073 END';
DROP TRIGGER "memberships_access_changed" ON "memberships";
CREATE TRIGGER "memberships_access_changed" AFTER INSERT OR UPDATE OF "role" OR DELETE ON "memberships" FOR EACH ROW EXECUTE FUNCTION "berth_notify_access_changed"();
DROP TRIGGER "users_access_changed" ON "users";
CREATE TRIGGER "users_access_changed" AFTER UPDATE OF "is_platform_admin", "name", "email" OR DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION "berth_notify_access_changed"();
