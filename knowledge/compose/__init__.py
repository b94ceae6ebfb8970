"""Answer composition: one small module per kind of answer, shared paging and references."""
