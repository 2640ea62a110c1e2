//! Working out what is bleeding from the dependency graph: where it
//! probably starts, what to check next, what else will hurt, and any
//! cycles (reported, never looped on).

use crate::model::{System, SystemStatus};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// A failing or degraded system none of whose dependencies is failing or
/// degraded: the likeliest place the trouble starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspect {
    pub name: String,
    pub status: SystemStatus,
    /// Dependencies nobody has checked yet: the suspicion holds only if
    /// they are fine.
    pub unknown_dependencies: Vec<String>,
}

/// A dependency of bleeding systems whose health is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckNext {
    pub name: String,
    /// How many failing or degraded systems depend on it, directly or not.
    pub bleeding_above: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Bleeding {
    pub suspected: Vec<Suspect>,
    pub check_next: Vec<CheckNext>,
    /// Systems that depend, directly or transitively, on a failing system
    /// and are not failing themselves: what else will hurt.
    pub blast_radius: Vec<String>,
    /// Each dependency cycle, as the names in it.
    pub cycles: Vec<Vec<String>>,
}

/// Dependencies that exist as systems (a name may be missing only in a
/// hand-built map; it is then ignored).
fn deps<'a>(
    systems: &'a BTreeMap<String, System>,
    s: &'a System,
) -> impl Iterator<Item = &'a System> {
    s.depends_on.iter().filter_map(|d| systems.get(d))
}

pub fn analyse(systems: &BTreeMap<String, System>) -> Bleeding {
    let suspected = systems
        .values()
        .filter(|s| s.status.is_bleeding())
        .filter(|s| deps(systems, s).all(|d| !d.status.is_bleeding()))
        .map(|s| Suspect {
            name: s.name.clone(),
            status: s.status,
            unknown_dependencies: deps(systems, s)
                .filter(|d| d.status == SystemStatus::Unknown)
                .map(|d| d.name.clone())
                .collect(),
        })
        .collect();

    // Walk down from each bleeding system through everything not known to
    // be fine, counting which unknown systems sit below how many of them.
    let mut below: HashMap<&str, usize> = HashMap::new();
    for top in systems.values().filter(|s| s.status.is_bleeding()) {
        let mut seen: BTreeSet<&str> = BTreeSet::from([top.name.as_str()]);
        let mut queue: VecDeque<&System> = VecDeque::from([top]);
        while let Some(s) = queue.pop_front() {
            for d in deps(systems, s) {
                if d.status == SystemStatus::Ok || !seen.insert(&d.name) {
                    continue;
                }
                if d.status == SystemStatus::Unknown {
                    *below.entry(&d.name).or_default() += 1;
                }
                queue.push_back(d);
            }
        }
    }
    let mut check_next: Vec<CheckNext> = below
        .into_iter()
        .map(|(name, n)| CheckNext {
            name: name.to_string(),
            bleeding_above: n,
        })
        .collect();
    check_next.sort_by(|a, b| {
        b.bleeding_above
            .cmp(&a.bleeding_above)
            .then_with(|| a.name.cmp(&b.name))
    });

    // Everything upstream of a failing system, through reverse edges.
    let mut dependents: HashMap<&str, Vec<&str>> = HashMap::new();
    for s in systems.values() {
        for d in deps(systems, s) {
            dependents.entry(&d.name).or_default().push(&s.name);
        }
    }
    let failing: Vec<&str> = systems
        .values()
        .filter(|s| s.status == SystemStatus::Failing)
        .map(|s| s.name.as_str())
        .collect();
    let mut hurt: BTreeSet<&str> = BTreeSet::new();
    let mut queue: VecDeque<&str> = failing.iter().copied().collect();
    let mut seen: BTreeSet<&str> = failing.iter().copied().collect();
    while let Some(n) = queue.pop_front() {
        for &up in dependents.get(n).map(Vec::as_slice).unwrap_or(&[]) {
            if seen.insert(up) {
                hurt.insert(up);
                queue.push_back(up);
            }
        }
    }
    let blast_radius = hurt
        .into_iter()
        .filter(|n| systems[*n].status != SystemStatus::Failing)
        .map(str::to_string)
        .collect();

    Bleeding {
        suspected,
        check_next,
        blast_radius,
        cycles: cycles(systems),
    }
}

/// Strongly connected components with more than one system, or a system
/// depending on itself (Tarjan's algorithm, without recursion).
pub fn cycles(systems: &BTreeMap<String, System>) -> Vec<Vec<String>> {
    let names: Vec<&str> = systems.keys().map(String::as_str).collect();
    let index_of: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            systems[*n]
                .depends_on
                .iter()
                .filter_map(|d| index_of.get(d.as_str()).copied())
                .collect()
        })
        .collect();
    let n = names.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0usize;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its edge list)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*pos) {
                *pos += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(names[w].to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 || edges[v].contains(&v) {
                    component.sort();
                    out.push(component);
                }
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Build a graph from "name:status" and "a->b" edges.
    fn graph(nodes: &[(&str, SystemStatus)], edges: &[(&str, &str)]) -> BTreeMap<String, System> {
        let mut m: BTreeMap<String, System> = nodes
            .iter()
            .map(|(n, s)| {
                let mut sys = System::new(n);
                sys.status = *s;
                (n.to_string(), sys)
            })
            .collect();
        for (a, b) in edges {
            m.get_mut(*a).unwrap().depends_on.insert(b.to_string());
        }
        m
    }

    use SystemStatus::*;

    #[test]
    fn a_chain_points_at_its_deepest_failing_link() {
        let g = graph(
            &[
                ("checkout", Failing),
                ("payments", Failing),
                ("postgres", Ok),
            ],
            &[("checkout", "payments"), ("payments", "postgres")],
        );
        let b = analyse(&g);
        assert_eq!(b.suspected.len(), 1);
        assert_eq!(b.suspected[0].name, "payments");
        assert!(b.suspected[0].unknown_dependencies.is_empty());
        assert!(b.check_next.is_empty());
        assert!(b.cycles.is_empty());
    }

    #[test]
    fn an_unchecked_dependency_weakens_the_suspicion_and_is_next_to_check() {
        let g = graph(
            &[
                ("checkout", Failing),
                ("payments", Failing),
                ("redis", Unknown),
                ("postgres", Ok),
            ],
            &[
                ("checkout", "payments"),
                ("payments", "redis"),
                ("payments", "postgres"),
                ("checkout", "redis"),
            ],
        );
        let b = analyse(&g);
        assert_eq!(b.suspected[0].name, "payments");
        assert_eq!(b.suspected[0].unknown_dependencies, ["redis"]);
        assert_eq!(
            b.check_next,
            [CheckNext {
                name: "redis".into(),
                bleeding_above: 2
            }]
        );
    }

    #[test]
    fn check_next_is_ranked_by_how_much_bleeds_above() {
        let g = graph(
            &[
                ("web", Failing),
                ("api", Failing),
                ("search", Degraded),
                ("dns", Unknown),
                ("es", Unknown),
                ("ok", Ok),
                ("below-ok", Unknown),
            ],
            &[
                ("web", "api"),
                ("api", "dns"),
                ("search", "dns"),
                ("search", "es"),
                ("web", "ok"),
                ("ok", "below-ok"),
            ],
        );
        let b = analyse(&g);
        let ranked: Vec<(&str, usize)> = b
            .check_next
            .iter()
            .map(|c| (c.name.as_str(), c.bleeding_above))
            .collect();
        assert_eq!(
            ranked,
            [("dns", 3), ("es", 1)],
            "nothing below a system known to be fine"
        );
    }

    #[test]
    fn a_diamond_has_one_suspect_and_a_blast_radius_upwards() {
        //     shop -> cart -> db
        //     shop -> pay  -> db ; admin -> pay
        let g = graph(
            &[
                ("shop", Degraded),
                ("cart", Degraded),
                ("pay", Degraded),
                ("db", Failing),
                ("admin", Unknown),
                ("cdn", Ok),
            ],
            &[
                ("shop", "cart"),
                ("shop", "pay"),
                ("cart", "db"),
                ("pay", "db"),
                ("admin", "pay"),
            ],
        );
        let b = analyse(&g);
        assert_eq!(
            b.suspected
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["db"]
        );
        assert_eq!(b.blast_radius, ["admin", "cart", "pay", "shop"]);
    }

    #[test]
    fn cycles_are_reported_and_never_looped_on() {
        let g = graph(
            &[("a", Failing), ("b", Failing), ("c", Unknown), ("d", Ok)],
            &[("a", "b"), ("b", "c"), ("c", "a"), ("d", "d")],
        );
        let b = analyse(&g);
        assert_eq!(
            b.cycles,
            vec![
                vec!["a".to_string(), "b".into(), "c".into()],
                vec!["d".to_string()]
            ]
        );
        // b's only dependency is unchecked: it is the suspect, with that caveat.
        assert_eq!(b.suspected.len(), 1);
        assert_eq!(
            (
                b.suspected[0].name.as_str(),
                &b.suspected[0].unknown_dependencies[..]
            ),
            ("b", &["c".to_string()][..])
        );
        assert_eq!(b.check_next[0].name, "c");
    }

    #[test]
    fn nothing_bleeding_means_nothing_to_say() {
        let g = graph(&[("a", Ok), ("b", Unknown)], &[("a", "b")]);
        assert_eq!(analyse(&g), Bleeding::default());
    }
}
