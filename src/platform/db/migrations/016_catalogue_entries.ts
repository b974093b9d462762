import { type Kysely, sql } from 'kysely';

/**
 * The catalogue's read model: `catalogue_entries`, one narrow row per service online (a published initial file
 * with the status EN_LIGNE) carrying every column the catalogue filters and sorts on, so that a search and its
 * count read one small table instead of joining files, services and publishers and reading the newest
 * écoscore of each match.
 *
 * - `catalogue_refresh(product)` derives a service's rows from `dossiers`, `products`, `organisations` and
 *   `ecoscore_official`: it is the only place that says what an entry holds. Triggers on those four tables call
 *   it when a column it reads changes, in the writer's transaction: the catalogue never lags behind a
 *   publication, a suspension or an edit.
 * - `folded` is the service's name, publisher and description folded by `catalogue_fold` (migration 011), as
 *   `catalogue_search` held it; that table and its triggers are gone, and so is the index `products_catalogue_name`
 *   that the list's order read (`catalogue_entries_name` now).
 * - `platforms` are the platforms the service runs on: its OS, or a store or web address
 *   (`platformsOf` in src/catalogue/model.ts; a test compares them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger catalogue_search_product on products;
    drop trigger catalogue_search_organisation on organisations;
    drop function catalogue_search_of_product();
    drop function catalogue_search_of_organisation();
    drop table catalogue_search;
    -- The list's order is now catalogue_entries_name's.
    drop index products_catalogue_name;

    create table catalogue_entries (
      dossier_id uuid primary key references dossiers (id) on delete cascade,
      product_id uuid not null,
      name_key text not null,
      os text not null,
      device text not null,
      folded text not null,
      thematics text[] not null,
      regions text[] not null,
      audience text[] not null,
      platforms text[] not null,
      economic_model text not null,
      medical_device boolean not null,
      data_exchange boolean not null,
      ecoscore integer,
      published_at timestamptz
    );
    create index catalogue_entries_product on catalogue_entries (product_id);
    create index catalogue_entries_name on catalogue_entries (name_key, os, device, product_id);

    create function catalogue_refresh(product uuid) returns void language sql as $$
      delete from catalogue_entries where product_id = product;
      insert into catalogue_entries (dossier_id, product_id, name_key, os, device, folded, thematics, regions,
          audience, platforms, economic_model, medical_device, data_exchange, ecoscore, published_at)
        select d.id, p.id, lower(p.commercial_name), p.os, p.device,
          catalogue_fold(p.commercial_name || ' ' || o.legal_name || ' ' || p.description),
          array(select jsonb_array_elements_text(p.thematics)),
          array(select jsonb_array_elements_text(p.regions)),
          array(select jsonb_array_elements_text(p.audience)),
          array_remove(array[
            case when p.os = 'ios' or p.url_ios is not null then 'ios' end,
            case when p.os = 'android' or p.url_android is not null then 'android' end,
            case when p.os = 'web' or p.url_web is not null then 'web' end], null),
          p.economic_model, p.medical_device, d.typology = 'avec-echange',
          (select e.score from ecoscore_official e where e.product_id = p.id order by e.recorded_at desc limit 1),
          d.published_at
        from dossiers d
          join products p on p.id = d.product_id
          join organisations o on o.id = d.organisation_id
        where d.product_id = product and d.kind = 'initial' and d.state = 'published'
          and d.catalogue_status = 'EN_LIGNE';
    $$;

    -- A file or an official écoscore: the service it is of (both, when it moves to another).
    create function catalogue_of_service_row() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then perform catalogue_refresh(old.product_id); end if;
      if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.product_id <> old.product_id) then
        perform catalogue_refresh(new.product_id);
      end if;
      return null;
    end
    $$;
    create trigger catalogue_dossier
      after insert or delete or update of kind, state, catalogue_status, typology, published_at, product_id,
        organisation_id on dossiers
      for each row execute function catalogue_of_service_row();

    create function catalogue_of_product() returns trigger language plpgsql as $$
    begin
      perform catalogue_refresh(new.id);
      return null;
    end
    $$;
    create trigger catalogue_product
      after update of commercial_name, os, device, description, url_web, url_ios, url_android, thematics,
        regions, audience, economic_model, medical_device on products
      for each row execute function catalogue_of_product();

    create function catalogue_of_organisation() returns trigger language plpgsql as $$
    begin
      perform catalogue_refresh(e.product_id)
        from (select distinct d.product_id from dossiers d
              where d.organisation_id = new.id and d.catalogue_status = 'EN_LIGNE') e;
      return null;
    end
    $$;
    create trigger catalogue_organisation
      after update of legal_name on organisations
      for each row execute function catalogue_of_organisation();

    create trigger catalogue_ecoscore
      after insert or delete or update of product_id, score, recorded_at on ecoscore_official
      for each row execute function catalogue_of_service_row();

    select catalogue_refresh(p.id) from products p;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
