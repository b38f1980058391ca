import { HubError } from './hub-error';

export class NotFoundError extends HubError {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity}.not_found`, `${entity} ${id} not found`, 'user');
  }
}
