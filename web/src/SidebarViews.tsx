import { navigate, usePath, useSearch } from './router';
import { activeView, useSavedViews, viewHref } from './savedViewsStore';
import { filtersFromQuery } from './ticketOrder';

/** The saved views under the navigation, the one the list shows marked. */
export function SidebarViews({ onPick }: { onPick: () => void }) {
  const { views } = useSavedViews();
  const path = usePath();
  const search = useSearch();
  if (!views.length) return null;
  const active = path === '/' ? activeView(views, filtersFromQuery(search))?.name : undefined;
  return (
    <div className="side-views" role="group" aria-labelledby="side-views-head">
      <div className="side-head" id="side-views-head">
        Views
      </div>
      {views.map((v) => {
        const href = viewHref(v);
        return (
          <a
            key={v.name}
            href={href}
            className={v.name === active ? 'active' : ''}
            aria-current={v.name === active ? 'page' : undefined}
            onClick={(e) => (e.preventDefault(), navigate(href), onPick())}
          >
            {v.name}
          </a>
        );
      })}
    </div>
  );
}
