import type { IncomingMessage } from 'node:http';
import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { RequestLog } from '@polycors/demo-kit';
import type { NestDemoConfig } from './config.js';
import { DEMO_CONFIG, DEMO_STATS } from './demo.tokens.js';

/** Express hands guards the Node request itself; Fastify a FastifyRequest whose `raw` is the Node request. */
type HttpRequest = IncomingMessage & { raw?: IncomingMessage };

const nodeRequest = (context: ExecutionContext): HttpRequest => {
  const request = context.switchToHttp().getRequest<HttpRequest>();
  return request.raw ?? request;
};

/** Runs for every routed request (APP_GUARD) and only counts, so /__stats shows that preflights never reach guards. */
@Injectable()
export class CountingGuard implements CanActivate {
  constructor(@Inject(DEMO_STATS) private readonly stats: RequestLog) {}

  canActivate(context: ExecutionContext): boolean {
    this.stats.guard('global', nodeRequest(context));
    return true;
  }
}

/** `Authorization: Bearer <DEMO_TOKEN>` or 401. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(DEMO_CONFIG) private readonly config: NestDemoConfig,
    @Inject(DEMO_STATS) private readonly stats: RequestLog,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = nodeRequest(context);
    this.stats.guard('auth', request);
    if (request.headers.authorization !== `Bearer ${this.config.token}`) {
      throw new UnauthorizedException('Authorization: Bearer <token> required');
    }
    return true;
  }
}
