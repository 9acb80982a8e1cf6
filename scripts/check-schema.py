#!/usr/bin/env python3
"""Validate fact lines against the published schema (schema/fact.schema.json).

usage: scripts/check-schema.py SCHEMA FACTS.jsonl...

Every line of every file must be a fact the schema accepts (JSON Schema 2020-12, by the
`jsonschema` package). CI runs it on the facts of the samples and of the dev set: the
contract pipelines read is checked on real documents, not only on our own.
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    checked, failures = 0, []
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                fact = json.loads(line)
                checked += 1
                for error in validator.iter_errors(fact):
                    failures.append(f"{path}:{number}: {error.message} at {list(error.absolute_path)}")
    for failure in failures[:20]:
        print(failure, file=sys.stderr)
    print(f"{checked} facts checked against {argv[1]}: {len(failures)} errors")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main(sys.argv)
