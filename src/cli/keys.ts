import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { KeyId, KeyName, Role, type ApiKeyView } from '../domain/api-key.js';
import { ValidationError } from '../errors.js';
import { cliActor, openAccess } from '../wiring/access.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../access/api-keys.js';
import type { Command, Io } from './command.js';
import { formatInstant } from '../domain/time-format.js';

const USAGE = 'keys create --role ingest|viewer|operator|admin [--name N] | keys list [--json] | keys revoke <id>';

/** Parses one argument with `schema`; a failure names the argument. */
export function argOf<S extends z.ZodType>(schema: S, value: unknown, name: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new ValidationError('invalid arguments', [{ path: name, message: r.error.issues[0]?.message ?? 'invalid' }]);
  return r.data;
}

/**
 * `tideflow keys`: API keys. `create` prints the new key once (only its hash is stored); `list`
 * shows ids, roles, names and state; `revoke` refuses the key from the next request on.
 */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'create (printed once), list or revoke API keys; roles: ingest, viewer, operator, admin',
  usage: USAGE,
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        role: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const [action, ...rest] = positionals;
    if (action !== 'create' && action !== 'list' && action !== 'revoke') {
      io.err(`usage: tideflow ${USAGE}`);
      return 1;
    }
    const input = checkArgs(action, values, rest);
    const { access, close } = await openAccess(config);
    try {
      if (input.action === 'create') {
        const { key, record } = await createApiKey(access, {
          role: input.role,
          ...(input.name ? { name: input.name } : {}),
          actor: cliActor(),
        });
        io.out(key);
        io.err(
          `created key ${record.id} (${record.role}${record.name ? `, ${record.name}` : ''}); it is shown only this once: store it now`,
        );
      } else if (input.action === 'revoke') {
        await revokeApiKey(access, input.id, cliActor());
        io.out(`revoked key ${input.id}`);
      } else {
        printKeys(io, await listApiKeys(access), values.json === true, config.TIDEFLOW_TZ);
      }
      return 0;
    } finally {
      await close();
    }
  },
};

type KeysInput =
  { action: 'create'; role: Role; name?: string } | { action: 'list' } | { action: 'revoke'; id: string };

function checkArgs(
  action: KeysInput['action'],
  values: { role?: string; name?: string; json?: boolean },
  rest: string[],
): KeysInput {
  const allowed: readonly string[] = { create: ['role', 'name'], list: ['json'], revoke: [] }[action];
  const issues = Object.keys(values)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ path: `--${k}`, message: `not an option of keys ${action}` }));
  const wantIds = action === 'revoke' ? 1 : 0;
  if (rest.length !== wantIds)
    issues.push({
      path: action === 'revoke' ? '<id>' : (rest[0] ?? ''),
      message: action === 'revoke' ? 'exactly one key id' : 'unexpected argument',
    });
  if (issues.length > 0) throw new ValidationError('invalid arguments', issues);
  if (action === 'create') {
    if (values.role === undefined)
      throw new ValidationError('invalid arguments', [
        { path: '--role', message: 'required: ingest, viewer, operator or admin' },
      ]);
    return {
      action,
      role: argOf(Role, values.role, '--role'),
      ...(values.name !== undefined ? { name: argOf(KeyName, values.name, '--name') } : {}),
    };
  }
  return action === 'revoke' ? { action, id: argOf(KeyId, rest[0], '<id>') } : { action };
}

function printKeys(io: Io, keys: ApiKeyView[], json: boolean, tz: string): void {
  if (json) return io.out(JSON.stringify(keys, null, 2));
  if (keys.length === 0) return io.out('no API keys (create one with: tideflow keys create --role viewer)');
  for (const k of keys) {
    const state = k.revokedAt ? `revoked ${formatInstant(k.revokedAt, tz)}` : 'active';
    io.out(
      `${k.id}  ${k.role.padEnd(8)}  ${state.padEnd(32)}  created ${formatInstant(k.createdAt, tz)} by ${k.createdBy}${k.name ? `  ${k.name}` : ''}`,
    );
  }
}
