-- Stored answers held secrets in the clear (issue #12), and the fingerprint is a plain hash of a
-- request body that can hold secrets. Answers stored before this migration are forgotten rather
-- than kept in the clear: a retry with such a key runs again instead of replaying.
DELETE FROM "idempotency_records";

-- AlterTable
ALTER TABLE "idempotency_records" DROP COLUMN "fingerprint",
DROP COLUMN "response_body",
ADD COLUMN     "sealed" TEXT NOT NULL;
