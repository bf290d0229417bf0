-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "sink" TEXT NOT NULL,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("seq")
);

-- Not expressible in schema.prisma ------------------------------------------------------------

-- audit_head moves only through the append path: one step forward, onto the event just inserted
-- (same hash, linked to the old head). No rewind, no jump, no delete, no second row. Someone able
-- to disable triggers can still rewind it, but the signed checkpoints outside the database reveal that.
-- (The Wasm engine splits scripts at every semicolon, so the body spells it as \073.)
CREATE FUNCTION "berth_audit_head_forward_only"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN IF TG_OP <> ''UPDATE'' THEN RAISE EXCEPTION ''audit_head moves only through the append path (% refused)'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END IF\073 IF NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.seq = NEW.seq AND e.hash = NEW.hash AND e.prev_hash = OLD.hash) THEN RAISE EXCEPTION ''audit_head moves only forward, one step, onto the event just appended'' USING ERRCODE = ''insufficient_privilege''\073 END IF\073 RETURN NEW\073 END';
CREATE TRIGGER "audit_head_forward_only" BEFORE INSERT OR UPDATE OR DELETE ON "audit_head" FOR EACH ROW EXECUTE FUNCTION "berth_audit_head_forward_only"();
CREATE TRIGGER "audit_head_no_truncate" BEFORE TRUNCATE ON "audit_head" FOR EACH STATEMENT EXECUTE FUNCTION "berth_audit_head_forward_only"();
REVOKE INSERT, DELETE, TRUNCATE ON "audit_head" FROM PUBLIC;
