-- 0050: the audit log (PostgreSQL mode): who did what to what, when, and how it ended. Append-only.
CREATE TABLE security_audit
(
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL,
    principal  text        NOT NULL,
    operation  text        NOT NULL,
    target     text        NOT NULL,
    twin_id    text,
    outcome    text        NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
    detail     text
);

-- The three ways the log is read: everything since a time, one twin's entries, one principal's entries; newest first.
CREATE INDEX security_audit_at ON security_audit (at DESC, id DESC);
CREATE INDEX security_audit_twin ON security_audit (twin_id, at DESC) WHERE twin_id IS NOT NULL;
CREATE INDEX security_audit_principal ON security_audit (principal, at DESC);
