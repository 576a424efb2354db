import { randomBytes } from 'node:crypto';
import { BadRequestException, Body, Controller, Delete, Get, Header, Headers, HttpCode, Inject, Patch, Post, Put, Res, UseGuards } from '@nestjs/common';
import { ADMIN_ORIGIN, hasSessionCookie, type RequestLog, SESSION_COOKIE } from '@polycors/demo-kit';
import { Cors } from '@polycors/nestjs';
import { DEMO_STATS } from './demo.tokens.js';
import { AuthGuard } from './guards.js';

/** Public: any origin may read it, and X-List-Version too. No credentials (a `*` answer cannot carry them). */
@Cors({ origin: '*', credentials: false, inherit: false, exposedHeaders: ['X-List-Version'] })
@Controller('options')
export class OptionsController {
  @Get()
  @Header('X-List-Version', '3')
  @Header('Cache-Control', 'no-store')
  list() {
    return { topics: ['billing', 'support', 'sales'] };
  }
}

/** Where the front end gets its session cookie (global policy: the front-end origins, with credentials). */
@Controller('login')
export class LoginController {
  @Post()
  @HttpCode(200)
  login(@Res({ passthrough: true }) response: { header(name: string, value: string): unknown }) {
    // SameSite=Lax is enough: http://localhost:5173 and http://localhost:3001 are the same site (ports do not count).
    const session = randomBytes(12).toString('hex');
    response.header('Set-Cookie', `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`);
    return { ok: true };
  }
}

interface ContactForm {
  name?: unknown;
  message?: unknown;
}

@Controller('form')
export class FormController {
  /** JSON from the front-end origins, credentials allowed (global policy). */
  @Post()
  create(@Body() body: ContactForm, @Headers('cookie') cookie?: string) {
    return { received: { name: body?.name, message: body?.message }, session: hasSessionCookie(cookie) };
  }

  /** Needs the bearer token and X-App-Version; its preflight is cached 300 s. */
  @Cors({ allowedHeaders: ['content-type', 'authorization', 'x-app-version'], maxAge: 300 })
  @Patch()
  @UseGuards(AuthGuard)
  update(@Body() body: ContactForm, @Headers('x-app-version') appVersion?: string) {
    if (!appVersion) throw new BadRequestException('X-App-Version header required');
    return { updated: true, appVersion, message: body?.message };
  }
}

/** Same-origin only: CORS turned off, so browsers never let another origin read it. */
@Controller('internal')
export class InternalController {
  @Cors(false)
  @Get()
  internal() {
    return { internal: true };
  }
}

/** Its preflights are never cached (`maxAge: 0`): the conformance suite's control for the preflight cache. */
@Controller('draft')
export class DraftController {
  @Cors({ maxAge: 0 })
  @Put()
  save(@Body() body: unknown) {
    return { saved: body ?? null };
  }
}

/** Any request header (`allowedHeaders: '*'`), no credentials; `*` never covers Authorization. */
@Controller('feedback')
export class FeedbackController {
  @Cors({ allowedHeaders: '*', credentials: false })
  @Post()
  create(@Body() body: unknown) {
    return { received: body ?? null };
  }
}

/**
 * Deliberately unsafe: `origin: '*'` with credentials, which polycors refuses at startup unless `strict: false`; with
 * it the app starts with a warning (origin-any-with-credentials) and answers `*`, which browsers refuse for
 * credentialed requests. The conformance suite proves they do.
 */
@Controller('legacy')
export class LegacyController {
  @Cors({ origin: '*', credentials: true, strict: false })
  @Get()
  legacy() {
    return { legacy: true };
  }
}

/**
 * Sibling handlers on one path: X-App-Version on GET; PATCH only for the admin origin (`inherit: false`); DELETE with
 * CORS off. A GET preflight's cached answer must never let the PATCH or the DELETE through (the browser caches per URL).
 */
@Controller('siblings')
export class SiblingsController {
  @Cors({ allowedHeaders: ['x-app-version'] })
  @Get()
  read() {
    return { read: true };
  }

  @Cors({ origin: [ADMIN_ORIGIN], inherit: false })
  @Patch()
  update() {
    return { patched: true };
  }

  @Cors(false)
  @Delete()
  remove() {
    return { deleted: true };
  }
}

/** The same with POST (a safelisted method) only for the admin origin: a cached X-App-Version would let it through. */
@Controller('siblings-post')
export class SiblingsPostController {
  @Cors({ allowedHeaders: ['x-app-version'] })
  @Get()
  read() {
    return { read: true };
  }

  @Cors({ origin: [ADMIN_ORIGIN], inherit: false })
  @Post()
  create() {
    return { posted: true };
  }
}

/** DEMO_STATS=1 only: what the server saw. Readable from any origin (no credentials), for the playground. */
@Cors({ origin: '*', credentials: false, inherit: false })
@Controller('__stats')
export class StatsController {
  constructor(@Inject(DEMO_STATS) private readonly stats: RequestLog) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  get() {
    return this.stats.snapshot();
  }

  @Post('reset')
  @HttpCode(204)
  reset() {
    this.stats.reset();
  }
}
