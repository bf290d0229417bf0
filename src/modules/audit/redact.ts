// Secret values never reach the audit log: keys that name secrets keep their shape, lose their value.
const SECRET_KEY = /(token|secret|password|passwd|credential|kubeconfig|private|client_key|ca_data|authorization|^vars$|^set$|config_vars)/i;

export const REDACTED = '[REDACTED]';

export function redact(value: unknown, parentIsSecret = false): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, parentIsSecret));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => {
        const secret = parentIsSecret || SECRET_KEY.test(k);
        if (secret && (v === null || typeof v !== 'object')) return [k, v === null ? null : REDACTED];
        return [k, redact(v, secret)];
      }),
    );
  }
  return parentIsSecret && value !== null && value !== undefined ? REDACTED : value;
}
