/** Starts real Nest applications on 127.0.0.1 (both HTTP adapters) and sends real HTTP to them. */
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

export type Platform = 'express' | 'fastify';
export const PLATFORMS: readonly Platform[] = ['express', 'fastify'];

export function adapterFor(platform: Platform) {
  return platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
}

export interface RunningApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Build the app with @nestjs/testing instead of NestFactory. */
  testing?: boolean;
  /** Runs before listen (setGlobalPrefix, enableVersioning, enableCors, ...). */
  configure?: (app: INestApplication) => void;
  appOptions?: NestApplicationOptions;
}

export async function createApp(platform: Platform, module: Function, options: StartOptions = {}): Promise<INestApplication> {
  const appOptions: NestApplicationOptions = { logger: false, abortOnError: false, ...options.appOptions };
  if (options.testing) {
    const moduleRef = await Test.createTestingModule({ imports: [module as never] }).compile();
    return moduleRef.createNestApplication(adapterFor(platform), appOptions);
  }
  return NestFactory.create(module as never, adapterFor(platform), appOptions);
}

export async function startApp(platform: Platform, module: Function, options: StartOptions = {}): Promise<RunningApp> {
  const app = await createApp(platform, module, options);
  options.configure?.(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: string;
  header(name: string): string | null;
}

/** A request as a browser on `origin` would send it (Node's fetch lets us set Origin). */
export async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const response = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body, redirect: 'manual' });
  const body = await response.text();
  return { status: response.status, headers: response.headers, body, header: (name) => response.headers.get(name) };
}

export function preflight(url: string, origin: string, method: string, requestHeaders?: string): Promise<Reply> {
  const headers: Record<string, string> = { origin, 'access-control-request-method': method };
  if (requestHeaders !== undefined) headers['access-control-request-headers'] = requestHeaders;
  return send(url, { method: 'OPTIONS', headers });
}

export function varyTokens(reply: Reply): string[] {
  return (reply.header('vary') ?? '').split(',').map((token) => token.trim().toLowerCase()).filter(Boolean);
}
