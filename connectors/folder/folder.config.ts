import { z } from 'zod';
import { checkDocumentFields, fileDropFields } from './file-drop.config';

export const folderConfig = z
  .object({
    ...fileDropFields,
    kind: z.literal('folder'),
    path: z
      .string()
      .min(1)
      .meta({ description: 'Root directory of the drop; `inbox`, `done`, `failed` and `outbox` are relative to it.', examples: ['/srv/edi/acme'] }),
  })
  .superRefine(checkDocumentFields);

export type FolderConfig = z.output<typeof folderConfig>;
