-- Every replica ends the streams (graphql-ws subscriptions, SSE) of a caller whose access shrank:
-- a token revoked, expired early or deleted, a team role changed or removed, platform admin taken
-- away. A trigger (not application code) sends the notification, so no write path can forget it;
-- NOTIFY is delivered at commit. Payloads carry ids only. (Semicolons in the body are written \073:
-- the migration runner splits statements on them.)
CREATE FUNCTION "berth_notify_access_changed"() RETURNS trigger LANGUAGE plpgsql AS E'DECLARE r RECORD\073 BEGIN IF TG_OP = ''DELETE'' THEN r := OLD\073 ELSE r := NEW\073 END IF\073 IF TG_TABLE_NAME = ''api_tokens'' THEN PERFORM pg_notify(''berth_access_changed'', json_build_object(''token_id'', r.id)::text)\073 ELSIF TG_TABLE_NAME = ''users'' THEN PERFORM pg_notify(''berth_access_changed'', json_build_object(''user_id'', r.id)::text)\073 ELSE PERFORM pg_notify(''berth_access_changed'', json_build_object(''user_id'', r.user_id)::text)\073 END IF\073 RETURN NULL\073 END';
CREATE TRIGGER "api_tokens_access_changed" AFTER UPDATE OF "revoked_at", "expires_at" OR DELETE ON "api_tokens" FOR EACH ROW EXECUTE FUNCTION "berth_notify_access_changed"();
CREATE TRIGGER "memberships_access_changed" AFTER UPDATE OF "role" OR DELETE ON "memberships" FOR EACH ROW EXECUTE FUNCTION "berth_notify_access_changed"();
CREATE TRIGGER "users_access_changed" AFTER UPDATE OF "is_platform_admin" OR DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION "berth_notify_access_changed"();
