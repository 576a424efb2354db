import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { DemoConfig } from './config.js';
import { DEMO_CONFIG, DEMO_STATS } from './demo.tokens.js';
import type { DemoStats } from './stats.js';

interface HttpRequest {
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Runs for every routed request (APP_GUARD) and only counts, so the stats show that preflights never reach guards. */
@Injectable()
export class CountingGuard implements CanActivate {
  constructor(@Inject(DEMO_STATS) private readonly stats: DemoStats) {}

  canActivate(context: ExecutionContext): boolean {
    this.stats.countGuard('global', context.switchToHttp().getRequest<HttpRequest>().url);
    return true;
  }
}

/** `Authorization: Bearer <DEMO_TOKEN>` or 401. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(DEMO_CONFIG) private readonly config: DemoConfig,
    @Inject(DEMO_STATS) private readonly stats: DemoStats,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    this.stats.countGuard('auth', request.url);
    if (request.headers.authorization !== `Bearer ${this.config.token}`) {
      throw new UnauthorizedException('Authorization: Bearer <token> required');
    }
    return true;
  }
}
