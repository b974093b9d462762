import { type Kysely, sql } from 'kysely';

/**
 * A publisher's services (produits, in Convergence's words) and their images. One row per commercial name,
 * OS and device, as Convergence asks; `row_version` makes every update conditional on what the editor saw.
 * Images (logo, screenshots) are kept in the database with their detected media type, size and SHA-256.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table products (
      id uuid primary key,
      organisation_id uuid not null references organisations (id),
      commercial_name text not null,
      os text not null check (os in ('ios', 'android', 'web', 'multi')),
      device text not null check (device in ('mobile', 'site-web', 'tablette', 'ordinateur')),
      version text not null,
      description text not null,
      url_web text,
      url_ios text,
      url_android text,
      url_cgu text,
      url_privacy text,
      thematics jsonb not null default '[]',
      regions jsonb not null default '[]',
      audience jsonb not null default '[]',
      economic_model text not null
        check (economic_model in ('gratuit', 'payant', 'gratuit-achats-integres')),
      medical_device boolean not null default false,
      medical_device_class text check (medical_device_class in ('I', 'IIa', 'IIb', 'III')),
      data_exchange boolean not null default false,
      row_version integer not null default 1 check (row_version >= 1),
      created_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (medical_device or medical_device_class is null),
      check (not medical_device or medical_device_class is not null)
    );
    create index products_organisation on products (organisation_id, commercial_name);
    create unique index products_name_os_device on products (organisation_id, lower(commercial_name), os, device);

    create table product_images (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      kind text not null check (kind in ('logo', 'screenshot')),
      position integer not null default 0,
      media_type text not null check (media_type in ('image/png', 'image/jpeg', 'image/webp')),
      size_bytes integer not null check (size_bytes > 0),
      sha256 char(64) not null,
      content bytea not null,
      alt_text text not null default '',
      created_by uuid references accounts (id),
      created_at timestamptz not null default now()
    );
    create index product_images_product on product_images (product_id, kind, position);
    create unique index product_images_one_logo on product_images (product_id) where kind = 'logo';
  `.execute(db);
}
