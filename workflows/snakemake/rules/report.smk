# The run's report, OUT/report/index.html (+ OUT/report/figures/*.svg): every map's
# cooperativity map and the maps side by side, the strongest cells, distance profile,
# effect ranking, saturation tracks, the Tomtom heatmap and JOS bars when the run made
# them, and the run's parameters, versions and checksums from OUT/manifest.tsv
# (coopmap-stats --report; docs/workflows.md, "Report").  Written after the manifest, so
# the manifest does not list it.
if DO_REPORT:
    rule report:
        input:
            effects=[f"{m['dir']}/ism/effects.tsv" for m in MAPS.values()],
            sources=[f"{m['dir']}/pairs/sources.tsv" for m in MAPS.values()],
            saturation=[f"{m['dir']}/ism/saturation.tsv.gz" for m in MAPS.values()] if DO_SATURATION else [],
            matches=[f"{OUT}/compare/matches.tsv"] if DO_COMPARE else [],
            jos=[f"{OUT}/compare/family_jos.tsv"] if DO_FAMILY else [],
            run_info=f"{OUT}/manifest.tsv",
        output:
            directory(f"{OUT}/report"),
        params:
            cmd=lambda wildcards, input, output: render(
                "report", report=output[0], alpha=section("stats").get("alpha", 0.05),
                test=nondefault("stats", "test", "t"), correction=nondefault("stats", "correction", "bh"),
                cluster=bool(section("stats").get("cluster")),
                title=section("report").get("title", "coopmap report"),
                matches=input.matches[0] if input.matches else None,
                tomtom_thresh=section("report").get("tomtom_thresh", 0.05) if input.matches else None,
                jos=input.jos[0] if input.jos else None,
                saturation=",".join(f"{n}={p}" for n, p in zip(MAPS, input.saturation)) or None,
                sources=",".join(f"{n}={p}" for n, p in zip(MAPS, input.sources)) if input.saturation else None,
                region=section("saturation").get("region") if input.saturation else None,
                run_info=input.run_info,
                maps=[f"{n}={p}" for n, p in zip(MAPS, input.effects)]),
        log:
            f"{OUT}/logs/report.log",
        benchmark:
            f"{OUT}/benchmarks/report.tsv"
        threads: 1
        resources:
            mem_mb=mem_mb("report"),
            runtime=runtime("report"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"
