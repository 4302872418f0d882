// The page shown when a console request fails: forbidden, not found, expired form, or our fault.
import { Document } from './layout';
import { themeCss } from './styles';

export function ErrorPage(props: { status: number; title: string; message: string; homePath: string }) {
  return (
    <Document title={`${props.title} · Kiunga`} themeCss={themeCss(null)}>
      <div class="login">
        <h1>{props.title}</h1>
        <div class="card">
          <p data-error-status={String(props.status)}>{props.message}</p>
          <a class="button" href={props.homePath}>
            Back
          </a>
        </div>
      </div>
    </Document>
  );
}
