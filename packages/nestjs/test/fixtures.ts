/** Controllers and guards shared by the adapter tests. */
import { type CanActivate, Controller, type ExecutionContext, Get, Injectable, Patch, Post, UnauthorizedException, UseGuards } from '@nestjs/common';
import { Cors } from '../src/index.js';

/** Counts every run, so a test can prove guards never see preflights. */
export const guardRuns = { global: 0, controller: 0, handler: 0, reset() { this.global = 0; this.controller = 0; this.handler = 0; } };

@Injectable()
export class CountingGlobalGuard implements CanActivate {
  canActivate(): boolean {
    guardRuns.global++;
    return true;
  }
}

@Injectable()
export class CountingControllerGuard implements CanActivate {
  canActivate(): boolean {
    guardRuns.controller++;
    return true;
  }
}

/** Needs `Authorization: Bearer demo-token`; counts every run. */
@Injectable()
export class CountingAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    guardRuns.handler++;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (request.headers.authorization !== 'Bearer demo-token') throw new UnauthorizedException('token required');
    return true;
  }
}

@Cors({ origin: '*', credentials: false, inherit: false, exposedHeaders: ['X-List-Version'] })
@Controller('options')
export class OptionsController {
  @Get()
  list() {
    return ['a', 'b'];
  }
}

@Controller('form')
@UseGuards(CountingControllerGuard)
export class FormController {
  @Post()
  create() {
    return { created: true };
  }

  @Cors({ allowedHeaders: ['content-type', 'x-app-version', 'authorization'], maxAge: 300 })
  @Patch()
  @UseGuards(CountingAuthGuard)
  update() {
    return { updated: true };
  }
}

@Controller('private')
export class PrivateController {
  @Cors(false)
  @Get()
  secret() {
    return { secret: true };
  }

  @Get('open')
  open() {
    return { open: true };
  }
}
