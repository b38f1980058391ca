import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { checkDocumentFields, fileDropFields } from '../folder/file-drop.config';

/** OpenSSH's fingerprint notation (`ssh-keygen -lf key.pub`): SHA256: then 43 base64 characters. */
export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const sftpConfig = z
  .object({
    ...fileDropFields,
    kind: z.literal('sftp'),
    host: z.string().min(1).meta({ description: 'SFTP server name or address.', examples: ['sftp.partner.example'] }),
    port: z.number().int().min(1).max(65_535).default(22).meta({ description: 'SSH port.' }),
    username: z.string().min(1).meta({ description: 'Login name.' }),
    password: secret('Password, when the server takes password login.').optional(),
    privateKey: secret('Private key in OpenSSH or PEM format, for key login.').optional(),
    privateKeyFile: z.string().min(1).optional().meta({ description: 'Path of a private key file, the alternative to `privateKey`.' }),
    passphrase: secret('Passphrase of an encrypted private key.').optional(),
    hostKeySha256: z
      .string()
      .regex(HOST_KEY_FINGERPRINT, 'an OpenSSH SHA256 fingerprint such as SHA256:Xx…(43 characters)')
      .optional()
      .meta({
        description: 'The server host key fingerprint the connection must present, as `ssh-keygen -lf` prints it; any other key is refused.',
        examples: ['SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8'],
      }),
    acceptAnyHostKey: z
      .boolean()
      .default(false)
      .meta({ description: 'Connect without checking the host key. Only for a first look at a test server: anyone in between can read and forge files.' }),
    root: z.string().min(1).default('.').meta({ description: 'Folder on the server that `inbox`, `done`, `failed` and `outbox` are relative to; `.` is the login folder.' }),
    readyTimeoutMs: z.number().int().positive().default(20_000).meta({ description: 'Time allowed to connect and log in, in ms.' }),
    operationTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(60_000)
      .meta({ description: 'Time allowed for one SFTP operation (list, read, write, rename), in ms; on expiry the connection is dropped and made anew.' }),
    keepaliveIntervalMs: z.number().int().min(0).default(15_000).meta({ description: 'SSH keepalive interval in ms, so a dead connection is noticed; 0 turns it off.' }),
  })
  .superRefine((config, ctx) => {
    checkDocumentFields(config, ctx);
    if (config.password === undefined && config.privateKey === undefined && config.privateKeyFile === undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'give password, privateKey or privateKeyFile' });
    }
    if (config.privateKey !== undefined && config.privateKeyFile !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['privateKeyFile'], message: 'give privateKey or privateKeyFile, not both' });
    }
    if (config.hostKeySha256 === undefined && !config.acceptAnyHostKey) {
      ctx.addIssue({ code: 'custom', path: ['hostKeySha256'], message: 'pin the server host key (ssh-keygen -lf), or set acceptAnyHostKey: true for a test server' });
    }
  });

export type SftpConfig = z.output<typeof sftpConfig>;
