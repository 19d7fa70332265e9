# Retrieval: every raw input comes from the dataset registry (data/registry.yaml), taken
# from the offline mirror when present, else downloaded from its official URL.


wildcard_constraints:
    dataset="|".join(sorted(REGISTRY)),
    filename=r"[^/]+",
    vintage=r"\d{4}",


rule retrieve:
    message:
        "Retrieve {wildcards.dataset} ({wildcards.filename}) and verify its sha256"
    output:
        "data/raw/{dataset}/{filename}",
    log:
        "logs/retrieve/{dataset}/{filename}.log",
    benchmark:
        "benchmarks/results/retrieve/{dataset}/{filename}.tsv"
    params:
        dataset=lambda w: REGISTRY[w.dataset],
        mirror=config["mirror"],
        timeout=config["download"]["timeout_s"],
        retries=config["download"]["retries"],
    threads: 1
    resources:
        mem_mb=500,
        runtime=15,
    conda:
        "../../environment.yml"
    script:
        "../scripts/retrieve.py"
