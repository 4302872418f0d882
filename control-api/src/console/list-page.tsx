// The console's one list page: title, filters, a table (DataTable), pagination and the empty state.
// Plain server-rendered HTML: no script, no extra request, nothing a cheap phone has to work for.
import type { Child } from 'hono/jsx';
import { Empty, Pager } from './components';
import { type ConsoleShell, Layout } from './layout';

/** HTML attributes for an element (data-* hooks the browser tests and scripts find rows by). */
export type ElementAttributes = Record<string, string | boolean | undefined>;

export interface Column<Row> {
  /** The header cell's text; empty for an action column. */
  header: string;
  cell(row: Row): Child;
  /** A class for the body cells, such as `mono` for codes and addresses. */
  class?: string;
}

export interface DataTableProps<Row> {
  rows: readonly Row[];
  /** A column is left out by leaving it out of the list (e.g. actions the reader may not take). */
  columns: ReadonlyArray<Column<Row> | null>;
  /** Attributes of each row's `<tr>`, such as `{ 'data-code': voucher.code }`. */
  rowAttributes?: (row: Row) => ElementAttributes;
  /** Attributes of the scrolling wrapper (`.table-wrap`). */
  attributes?: ElementAttributes;
}

/** A table in its horizontal-scroll wrapper, one row per item. */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const columns = props.columns.filter((column): column is Column<Row> => column !== null);
  return (
    <div class="table-wrap" {...props.attributes}>
      <table>
        <thead>
          <tr>{columns.map((column) => (column.header ? <th>{column.header}</th> : <th />))}</tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr {...props.rowAttributes?.(row)}>
              {columns.map((column) => (
                <td class={column.class}>{column.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface ListPageProps<Row> extends DataTableProps<Row> {
  shell: ConsoleShell;
  /** The document title; also the heading unless `heading` is given. */
  title: string;
  heading?: string;
  /** Above the heading: a back link. */
  above?: Child;
  /** Between the heading and the filters: links, a form to add an item. */
  intro?: Child;
  /** The filter form and export links, laid out in a toolbar. */
  filters?: Child;
  /** What the page says when there is no row (for a search or at all). */
  empty: Child;
  /** Pagination: the page's path and query (the filters it keeps) and the next page's cursor. */
  pager: { path: string; query: Record<string, string | undefined>; nextCursor: string | null };
  /**
   * For a page a script keeps up to date: the empty state and the table are both sent, the one not
   * in use hidden, so the script only flips `hidden`.
   */
  isUpdatedLive?: boolean;
  /** Below the pagination: a create form, scripts. */
  children?: Child;
}

export function ListPage<Row>(props: ListPageProps<Row>) {
  const isEmpty = props.rows.length === 0;
  const table = (
    <DataTable
      rows={props.rows}
      columns={props.columns}
      rowAttributes={props.rowAttributes}
      attributes={props.isUpdatedLive ? { ...props.attributes, hidden: isEmpty } : props.attributes}
    />
  );
  return (
    <Layout title={props.title} shell={props.shell}>
      {props.above}
      <h1>{props.heading ?? props.title}</h1>
      {props.intro}
      {props.filters ? <div class="toolbar">{props.filters}</div> : null}
      {props.isUpdatedLive ? (
        <>
          <div data-live-empty hidden={!isEmpty}>
            <Empty>{props.empty}</Empty>
          </div>
          {table}
        </>
      ) : isEmpty ? (
        <Empty>{props.empty}</Empty>
      ) : (
        table
      )}
      <Pager path={props.pager.path} query={props.pager.query} nextCursor={props.pager.nextCursor} />
      {props.children}
    </Layout>
  );
}
