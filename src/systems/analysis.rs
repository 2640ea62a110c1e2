//! Working out what is bleeding from the dependency graph: where it
//! probably starts, what to check next, what else will hurt, and any
//! cycles (reported, never looped on).

use crate::model::{System, SystemStatus};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, VecDeque};

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
    /// and are neither failing nor degraded themselves: what else will hurt.
    pub blast_radius: Vec<String>,
    /// Each dependency cycle, as the names in it.
    pub cycles: Vec<Vec<String>>,
}

/// The graph with systems numbered, so walks compare integers, not names.
struct Graph<'a> {
    systems: Vec<&'a System>,
    deps: Vec<Vec<u32>>,
    dependents: Vec<Vec<u32>>,
}

impl<'a> Graph<'a> {
    fn new(map: &'a BTreeMap<String, System>) -> Self {
        let systems: Vec<&System> = map.values().collect();
        let index: HashMap<&str, u32> = systems
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i as u32))
            .collect();
        let deps: Vec<Vec<u32>> = systems
            .iter()
            .map(|s| {
                s.depends_on
                    .iter()
                    .filter_map(|d| index.get(d.as_str()).copied())
                    .collect()
            })
            .collect();
        let mut dependents = vec![Vec::new(); systems.len()];
        for (i, ds) in deps.iter().enumerate() {
            for &d in ds {
                dependents[d as usize].push(i as u32);
            }
        }
        Graph {
            systems,
            deps,
            dependents,
        }
    }

    fn status(&self, i: u32) -> SystemStatus {
        self.systems[i as usize].status
    }

    fn name(&self, i: u32) -> String {
        self.systems[i as usize].name.clone()
    }
}

pub fn analyse(systems: &BTreeMap<String, System>) -> Bleeding {
    let g = Graph::new(systems);
    let n = g.systems.len() as u32;
    let bleeding: Vec<u32> = (0..n).filter(|&i| g.status(i).is_bleeding()).collect();

    let suspected = bleeding
        .iter()
        .filter(|&&i| {
            g.deps[i as usize]
                .iter()
                .all(|&d| !g.status(d).is_bleeding())
        })
        .map(|&i| Suspect {
            name: g.name(i),
            status: g.status(i),
            unknown_dependencies: g.deps[i as usize]
                .iter()
                .filter(|&&d| g.status(d) == SystemStatus::Unknown)
                .map(|&d| g.name(d))
                .collect(),
        })
        .collect();

    // Walk down from each bleeding system through everything not known to
    // be fine, counting which unknown systems sit below how many of them.
    // `seen[v] == walk` marks v visited in the current walk, so the marks
    // never need clearing.
    let mut below = vec![0usize; n as usize];
    let mut seen = vec![u32::MAX; n as usize];
    let mut queue: VecDeque<u32> = VecDeque::new();
    for (walk, &top) in bleeding.iter().enumerate() {
        let walk = walk as u32;
        seen[top as usize] = walk;
        queue.push_back(top);
        while let Some(v) = queue.pop_front() {
            for &d in &g.deps[v as usize] {
                if seen[d as usize] == walk || g.status(d) == SystemStatus::Ok {
                    continue;
                }
                seen[d as usize] = walk;
                if g.status(d) == SystemStatus::Unknown {
                    below[d as usize] += 1;
                }
                queue.push_back(d);
            }
        }
    }
    let mut check_next: Vec<CheckNext> = (0..n)
        .filter(|&i| below[i as usize] > 0)
        .map(|i| CheckNext {
            name: g.name(i),
            bleeding_above: below[i as usize],
        })
        .collect();
    check_next.sort_by(|a, b| {
        b.bleeding_above
            .cmp(&a.bleeding_above)
            .then_with(|| a.name.cmp(&b.name))
    });

    // Everything upstream of a failing system, through reverse edges.
    let mut hurt = vec![false; n as usize];
    let mut queue: VecDeque<u32> = (0..n)
        .filter(|&i| g.status(i) == SystemStatus::Failing)
        .collect();
    let mut visited: Vec<bool> = (0..n)
        .map(|i| g.status(i) == SystemStatus::Failing)
        .collect();
    while let Some(v) = queue.pop_front() {
        for &up in &g.dependents[v as usize] {
            if !visited[up as usize] {
                visited[up as usize] = true;
                hurt[up as usize] = true;
                queue.push_back(up);
            }
        }
    }
    // Names come out sorted: systems are numbered in name order. A
    // system already degraded or failing hurts now: it is not "will".
    let blast_radius = (0..n)
        .filter(|&i| hurt[i as usize] && !g.status(i).is_bleeding())
        .map(|i| g.name(i))
        .collect();

    Bleeding {
        suspected,
        check_next,
        blast_radius,
        cycles: cycles_in(&g),
    }
}

/// Strongly connected components with more than one system, or a system
/// depending on itself (Tarjan's algorithm, without recursion).
pub fn cycles(systems: &BTreeMap<String, System>) -> Vec<Vec<String>> {
    cycles_in(&Graph::new(systems))
}

fn cycles_in(g: &Graph) -> Vec<Vec<String>> {
    let names: Vec<&str> = g.systems.iter().map(|s| s.name.as_str()).collect();
    let edges: Vec<Vec<usize>> = g
        .deps
        .iter()
        .map(|d| d.iter().map(|&x| x as usize).collect())
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
        // cart, pay and shop already hurt (degraded): only admin is still to come.
        assert_eq!(b.blast_radius, ["admin"]);
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
