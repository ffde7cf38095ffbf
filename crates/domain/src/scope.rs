//! The city's structure: city → district (gu) → neighbourhood (administrative dong).

crate::named_enum! {
    /// The level of a scope in the city's hierarchy.
    pub enum ScopeKind: "scope kind", label "kind-" {
        City = "city",
        District = "district",
        Neighbourhood = "neighbourhood",
    }
}

impl ScopeKind {
    /// The kind a child of this scope must have, if it may have children at all.
    pub fn child_kind(self) -> Option<ScopeKind> {
        match self {
            ScopeKind::City => Some(ScopeKind::District),
            ScopeKind::District => Some(ScopeKind::Neighbourhood),
            ScopeKind::Neighbourhood => None,
        }
    }
}

/// A scope as the rules see it: its id and the ids of its ancestors, nearest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeRef {
    pub id: i64,
    pub kind: ScopeKind,
    /// Parent, grandparent, … up to the city.
    pub ancestors: Vec<i64>,
}

impl ScopeRef {
    /// True when `other` is this scope or one of its ancestors, i.e. authority held at `other` reaches here.
    pub fn is_within(&self, other: i64) -> bool {
        self.id == other || self.ancestors.contains(&other)
    }
}

/// One scope of the city's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub id: i64,
    pub code: String,
    pub kind: ScopeKind,
    pub parent_id: Option<i64>,
    pub name_ko: String,
    pub name_en: String,
}

impl Scope {
    pub fn name(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Ko => &self.name_ko,
            crate::Lang::En => &self.name_en,
        }
    }
}

/// The whole tree, indexed for the lookups every page makes (by code, children, ancestry).
/// It is small (≈450 scopes for Seoul) and changes rarely, so the server keeps it in memory.
#[derive(Debug, Clone, Default)]
pub struct ScopeTree {
    scopes: Vec<Scope>,
    by_id: std::collections::HashMap<i64, usize>,
    by_code: std::collections::HashMap<String, usize>,
    children: std::collections::HashMap<i64, Vec<usize>>,
}

impl ScopeTree {
    /// Builds the tree; children are ordered by code. Fails if a parent is missing or a level is skipped.
    pub fn new(mut scopes: Vec<Scope>) -> Result<ScopeTree, String> {
        scopes.sort_by(|a, b| a.code.cmp(&b.code));
        let by_id: std::collections::HashMap<i64, usize> =
            scopes.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let by_code = scopes
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.clone(), i))
            .collect();
        let mut children: std::collections::HashMap<i64, Vec<usize>> = Default::default();
        for (i, s) in scopes.iter().enumerate() {
            match s.parent_id {
                None if s.kind != ScopeKind::City => {
                    return Err(format!("scope {} has no parent", s.code));
                }
                None => {}
                Some(pid) => {
                    let parent = by_id
                        .get(&pid)
                        .map(|&p| &scopes[p])
                        .ok_or_else(|| format!("scope {} has a missing parent", s.code))?;
                    if parent.kind.child_kind() != Some(s.kind) {
                        return Err(format!(
                            "a {} cannot sit under a {} ({})",
                            s.kind.as_str(),
                            parent.kind.as_str(),
                            s.code
                        ));
                    }
                    children.entry(pid).or_default().push(i);
                }
            }
        }
        Ok(ScopeTree {
            scopes,
            by_id,
            by_code,
            children,
        })
    }

    pub fn all(&self) -> &[Scope] {
        &self.scopes
    }

    pub fn len(&self) -> usize {
        self.scopes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty()
    }

    pub fn get(&self, id: i64) -> Option<&Scope> {
        self.by_id.get(&id).map(|&i| &self.scopes[i])
    }

    pub fn by_code(&self, code: &str) -> Option<&Scope> {
        self.by_code.get(code).map(|&i| &self.scopes[i])
    }

    pub fn city(&self) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.kind == ScopeKind::City)
    }

    pub fn children(&self, id: i64) -> impl Iterator<Item = &Scope> + use<'_> {
        self.children
            .get(&id)
            .into_iter()
            .flatten()
            .map(|&i| &self.scopes[i])
    }

    pub fn parent(&self, scope: &Scope) -> Option<&Scope> {
        scope.parent_id.and_then(|p| self.get(p))
    }

    /// The chain from the city down to `scope` (inclusive), for breadcrumbs.
    pub fn path<'a>(&'a self, scope: &'a Scope) -> Vec<&'a Scope> {
        let mut path = vec![scope];
        let mut current = scope;
        while let Some(parent) = self.parent(current) {
            path.push(parent);
            current = parent;
        }
        path.reverse();
        path
    }

    /// The rules' view of a scope: its id and ancestors.
    pub fn scope_ref(&self, id: i64) -> Option<ScopeRef> {
        let scope = self.get(id)?;
        let ancestors = self
            .path(scope)
            .iter()
            .rev()
            .skip(1)
            .map(|s| s.id)
            .collect();
        Some(ScopeRef {
            id,
            kind: scope.kind,
            ancestors,
        })
    }

    /// `scope` and everything below it.
    pub fn subtree_ids(&self, id: i64) -> Vec<i64> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            out.extend(self.children(out[i]).map(|c| c.id));
            i += 1;
        }
        out
    }
}

/// Checks the shape of an official scope code: digits only, and the length of its level
/// (MOIS 행정기관코드: 2 for the city, 5 for a gu, 10 for an administrative dong).
pub fn validate_code(kind: ScopeKind, code: &str) -> Result<(), String> {
    let expected = match kind {
        ScopeKind::City => 2,
        ScopeKind::District => 5,
        ScopeKind::Neighbourhood => 10,
    };
    if code.len() != expected || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "a {} code has {expected} digits, got {code:?}",
            kind.as_str()
        ));
    }
    Ok(())
}

/// A child's code must extend its parent's code (the MOIS scheme is hierarchical).
pub fn code_extends(parent: &str, child: &str) -> bool {
    child.len() > parent.len() && child.starts_with(parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_nest() {
        for kind in [
            ScopeKind::City,
            ScopeKind::District,
            ScopeKind::Neighbourhood,
        ] {
            assert_eq!(ScopeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ScopeKind::City.child_kind(), Some(ScopeKind::District));
        assert_eq!(ScopeKind::Neighbourhood.child_kind(), None);
        assert_eq!(ScopeKind::parse("dong"), None);
    }

    #[test]
    fn codes_follow_the_mois_scheme() {
        assert!(validate_code(ScopeKind::City, "11").is_ok());
        assert!(validate_code(ScopeKind::District, "11110").is_ok());
        assert!(validate_code(ScopeKind::Neighbourhood, "1111051500").is_ok());
        assert!(validate_code(ScopeKind::District, "1111").is_err());
        assert!(validate_code(ScopeKind::Neighbourhood, "11110515ab").is_err());
        assert!(code_extends("11110", "1111051500"));
        assert!(!code_extends("11140", "1111051500"));
    }

    fn scope(id: i64, code: &str, kind: ScopeKind, parent_id: Option<i64>) -> Scope {
        Scope {
            id,
            code: code.into(),
            kind,
            parent_id,
            name_ko: code.into(),
            name_en: code.into(),
        }
    }

    #[test]
    fn tree_indexes_and_walks() {
        let tree = ScopeTree::new(vec![
            scope(3, "1111051500", ScopeKind::Neighbourhood, Some(2)),
            scope(1, "11", ScopeKind::City, None),
            scope(2, "11110", ScopeKind::District, Some(1)),
            scope(4, "11140", ScopeKind::District, Some(1)),
        ])
        .unwrap();
        assert_eq!(tree.city().unwrap().id, 1);
        assert_eq!(tree.by_code("11110").unwrap().id, 2);
        assert_eq!(
            tree.children(1).map(|s| s.id).collect::<Vec<_>>(),
            vec![2, 4]
        );
        let dong = tree.get(3).unwrap();
        assert_eq!(
            tree.path(dong).iter().map(|s| s.id).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(tree.scope_ref(3).unwrap().ancestors, vec![2, 1]);
        assert_eq!(tree.subtree_ids(2), vec![2, 3]);
        assert_eq!(tree.subtree_ids(1).len(), 4);
    }

    #[test]
    fn tree_rejects_skipped_levels_and_orphans() {
        let skipped = ScopeTree::new(vec![
            scope(1, "11", ScopeKind::City, None),
            scope(3, "1111051500", ScopeKind::Neighbourhood, Some(1)),
        ]);
        assert!(skipped.unwrap_err().contains("cannot sit under"));
        let orphan = ScopeTree::new(vec![scope(2, "11110", ScopeKind::District, Some(9))]);
        assert!(orphan.unwrap_err().contains("missing parent"));
    }

    #[test]
    fn within_follows_ancestry() {
        let dong = ScopeRef {
            id: 30,
            kind: ScopeKind::Neighbourhood,
            ancestors: vec![2, 1],
        };
        assert!(dong.is_within(30));
        assert!(dong.is_within(2));
        assert!(dong.is_within(1));
        assert!(!dong.is_within(3));
    }
}
