command -v incident >/dev/null && incident active
