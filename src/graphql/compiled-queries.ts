// Queries that come back are executed compiled (graphql-jit), through Apollo's documented
// `responseForOperation` hook. A query document seen COMPILE_AFTER times is compiled once into a
// function for its operation; later requests run that function instead of graphql-js's interpreter
// and Apollo's execution wrappers: about 60 µs less CPU per request, a sixth of a small query's cost
// (docs/performance.md, "Thirteenth round").
//
// What stays exactly as it was:
// - everything before execution: parsing, validation (Apollo's document cache), the guardrails and
//   the operation gate (didResolveOperation runs first), the resolvers with their guards;
// - the answer: errors are formatted by the same formatError, with Apollo's defaults (below), and a
//   query whose variables do not coerce goes back to Apollo, which reports it without running any
//   resolver, as before.
// Not compiled: mutations (each root field in turn, with audit and idempotency: nothing to gain
// next to their writes), documents seen fewer times (compiling costs milliseconds: a caller sending
// each query once must not make the server compile for it), and anything graphql-jit declines.
// No other plugin may need executionDidStart, willResolveField or didEncounterErrors (Apollo skips
// them for an answer given here); Berth disables the ones that would (cache control, inline traces).
import { HeaderMap, type GraphQLRequestContextResponseForOperation, type GraphQLResponse } from '@apollo/server';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { DocumentNode, GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';

/** Formats one execution error as Apollo's pipeline would before calling `formatError`. */
export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

type Entry = { seen: number } | { compiled: CompiledQuery } | { declined: true };

/** Uses of a document before it is compiled: the first runs interpreted. */
const COMPILE_AFTER = 2;

export interface CompiledQueriesOptions {
  formatError: ErrorFormatter;
  /** Counts each query by how it ran (metrics). */
  onExecuted?: (executor: 'compiled' | 'interpreted') => void;
}

export class CompiledQueries<TContext extends object> {
  /** Per document (the object Apollo keeps in its document cache, so entries go with it), per operation name. */
  private readonly entries = new WeakMap<DocumentNode, Map<string | null, Entry>>();

  constructor(private readonly options: CompiledQueriesOptions) {}

  /** The answer to a query from its compiled form, or null for Apollo to execute it as usual. */
  async respond(context: GraphQLRequestContextResponseForOperation<TContext>): Promise<GraphQLResponse | null> {
    if (context.operation.operation !== 'query') return null;
    const compiled = this.compiledFor(context);
    if (!compiled) {
      this.options.onExecuted?.('interpreted');
      return null;
    }
    const result = await compiled.query(undefined, context.contextValue, context.request.variables ?? {});
    // Variables that do not coerce: nothing ran yet. Apollo's own execution reports them (400, BAD_USER_INPUT).
    if (result.data === undefined) {
      this.options.onExecuted?.('interpreted');
      return null;
    }
    this.options.onExecuted?.('compiled');
    const errors = result.errors?.map((error) => this.format(error));
    return { body: { kind: 'single', singleResult: { data: result.data, ...(errors ? { errors } : {}) } }, http: { headers: new HeaderMap(), status: undefined } };
  }

  private compiledFor({ document, operationName, schema }: GraphQLRequestContextResponseForOperation<TContext>): CompiledQuery | null {
    let byName = this.entries.get(document);
    if (!byName) this.entries.set(document, (byName = new Map()));
    const entry = byName.get(operationName) ?? { seen: 0 };
    if ('compiled' in entry) return entry.compiled;
    if ('declined' in entry) return null;
    entry.seen += 1;
    if (entry.seen < COMPILE_AFTER) {
      byName.set(operationName, entry);
      return null;
    }
    const compiled = compileOrNull(schema, document, operationName);
    if (!compiled) {
      byName.set(operationName, { declined: true });
      return null;
    }
    byName.set(operationName, { compiled });
    return compiled;
  }

  /**
   * As Apollo's pipeline formats an execution error (errorNormalize.ts): its JSON with a default
   * code, the HTTP part taken out (an answer with data is 200 either way: request-plugin.ts), then
   * formatError; a formatter that throws gives Apollo's generic internal error.
   */
  private format(error: GraphQLError): GraphQLFormattedError {
    try {
      // graphql-jit's errors are GraphQLErrors whose `extensions` may be undefined.
      const json = error.toJSON();
      const { http: _http, ...extensions }: Record<string, unknown> = { ...json.extensions, code: (error.extensions as GraphQLError['extensions'] | undefined)?.code ?? 'INTERNAL_SERVER_ERROR' };
      return this.options.formatError({ ...json, extensions }, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  }
}

/** graphql-jit answers what it cannot compile with errors, and may throw on what it does not expect: either way, not compiled. */
function compileOrNull(schema: GraphQLSchema, document: DocumentNode, operationName: string | null): CompiledQuery | null {
  try {
    const compiled = compileQuery(schema, document, operationName ?? undefined);
    return isCompiledQuery(compiled) ? compiled : null;
  } catch {
    return null;
  }
}
