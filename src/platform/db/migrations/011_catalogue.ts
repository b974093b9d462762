import { type Kysely, sql } from 'kysely';

/**
 * The public catalogue's read paths.
 *
 * - `dossiers_catalogue`: the published initial files with the status EN_LIGNE, a partial index (a few
 *   thousand rows, whatever the history of files), carrying what the list joins and sorts on.
 * - `products_catalogue_name`: the list's default order (name, then OS and device), so that its first page is
 *   read in order rather than sorted.
 * - `catalogue_search`: each service's name, description and publisher's name folded for a case- and
 *   accent-insensitive search (`catalogue_fold`), kept by triggers on `products` and `organisations`: folding
 *   the stored text at every search cost more than the rest of the page. `catalogue_fold` must fold exactly as
 *   `fold` in src/catalogue/model.ts (FOLD_FROM, FOLD_TO); a test compares them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index dossiers_catalogue on dossiers (product_id)
      include (organisation_id, typology, published_at)
      where kind = 'initial' and state = 'published' and catalogue_status = 'EN_LIGNE';
    create index products_catalogue_name on products (lower(commercial_name), os, device, id);

    create function catalogue_fold(value text) returns text
      language sql immutable parallel safe
      as $$
        select lower(replace(replace(replace(replace(translate(value,
          'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝŸýÿ’',
          'aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooooouuuuuuuuyyyy'''),
          'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'))
      $$;

    create table catalogue_search (
      product_id uuid primary key references products (id) on delete cascade,
      folded text not null
    );

    create function catalogue_search_of_product() returns trigger language plpgsql as $$
    begin
      insert into catalogue_search (product_id, folded)
        select new.id, catalogue_fold(new.commercial_name || ' ' || o.legal_name || ' ' || new.description)
        from organisations o where o.id = new.organisation_id
      on conflict (product_id) do update set folded = excluded.folded;
      return null;
    end
    $$;
    create trigger catalogue_search_product
      after insert or update of commercial_name, description, organisation_id on products
      for each row execute function catalogue_search_of_product();

    create function catalogue_search_of_organisation() returns trigger language plpgsql as $$
    begin
      update catalogue_search s
        set folded = catalogue_fold(p.commercial_name || ' ' || new.legal_name || ' ' || p.description)
        from products p where p.id = s.product_id and p.organisation_id = new.id;
      return null;
    end
    $$;
    create trigger catalogue_search_organisation
      after update of legal_name on organisations
      for each row execute function catalogue_search_of_organisation();

    insert into catalogue_search (product_id, folded)
      select p.id, catalogue_fold(p.commercial_name || ' ' || o.legal_name || ' ' || p.description)
      from products p join organisations o on o.id = p.organisation_id;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
