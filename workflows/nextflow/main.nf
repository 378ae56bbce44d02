#!/usr/bin/env nextflow
// coopmap — Nextflow (DSL2) front end: scan -> pairs -> ism -> stats per map,
// compare -> family, and (with --saturation_regions) saturation -> patterns -> annotation ->
// JOS per map.  The same stage command lines as the Snakemake workflow
// (workflows/stages.yaml); parameters in nextflow_schema.json, profiles in nextflow.config.
//
//   nextflow run workflows/nextflow/main.nf -profile test,docker
//   nextflow run workflows/nextflow/main.nf -profile slurm,apptainer --genome g.fa.gz \
//       --motifs jaspar.meme --peaks peaks.bed.gz --model model.cmm --outdir results
//   nextflow run ... --maps maps.csv        (name,cells,model,title[,heads,input_length])
//   nextflow run ... --saturation_regions regions.bed   (patterns from each map's model)
nextflow.enable.dsl = 2

include { COOPMAP_SCAN         } from './modules/coopmap/scan/main'
include { COOPMAP_SCANMERGE    } from './modules/coopmap/scanmerge/main'
include { COOPMAP_CONVERTMODEL } from './modules/coopmap/convertmodel/main'
include { COOPMAP_PAIRS        } from './modules/coopmap/pairs/main'
include { COOPMAP_ISM          } from './modules/coopmap/ism/main'
include { COOPMAP_ISMMERGE     } from './modules/coopmap/ismmerge/main'
include { COOPMAP_STATS        } from './modules/coopmap/stats/main'
include { COOPMAP_SATURATION   } from './modules/coopmap/saturation/main'
include { COOPMAP_COMPARE      } from './modules/coopmap/compare/main'
include { COOPMAP_FAMILY       } from './modules/coopmap/family/main'
include { COOPMAP_PATTERNS     } from './modules/coopmap/patterns/main'
include { COOPMAP_PATTERNSCOMPARE } from './modules/coopmap/patternscompare/main'
include { COOPMAP_PATTERNSJOS  } from './modules/coopmap/patternsjos/main'

// The index files that must be staged beside the genome (.fai, and .gzi for bgzip).
def genomeIndex(String genome) {
    def idx = [file("${genome}.fai", checkIfExists: true)]
    def gzi = file("${genome}.gzi")
    if (gzi.exists()) idx << gzi
    return idx
}

// The maps: --model is one map named "main"; --maps a CSV with a header
// name,cells,model,title[,heads,input_length] (cells and heads separated by ';').
def mapList() {
    def maps = []
    if (params.model) {
        maps << [id: 'main', model: params.model, cells: params.cells ? params.cells.tokenize(',') : [],
                 title: params.stats_title, heads: params.heads ? params.heads.tokenize(',') : [],
                 input_length: params.input_length]
    }
    if (params.maps) {
        file(params.maps, checkIfExists: true).splitCsv(header: true).each { r ->
            maps << [id: r.name, model: r.model, cells: r.cells ? r.cells.tokenize(';') : [],
                     title: r.title ?: "TF-TF cooperativity: ${r.name}",
                     heads: r.heads ? r.heads.tokenize(';') : [],
                     input_length: (r.input_length ?: params.input_length) as int]
        }
    }
    if (!maps) error "give --model (one map) or --maps (a CSV of maps), or both"
    return maps
}

workflow COOPMAP {
    main:
    def genome = file(params.genome, checkIfExists: true)
    def gidx = genomeIndex(params.genome)
    def motifs = file(params.motifs, checkIfExists: true)
    def peaks = file(params.peaks, checkIfExists: true)
    if (params.saturation && params.saturation_regions)
        error "give --saturation (a saturation table) or --saturation_regions (a BED to mutate through each map's model), not both"
    ch_versions = Channel.empty()

    // scan, optionally in params.scan_shards motif slices merged in slice order
    def n = params.scan_shards as int
    if (n > 1) {
        ch_scan = Channel.of(1..n).map { k -> [[id: "scan.${k}", shard: "${k}/${n}", k: k], motifs, genome, gidx] }
        COOPMAP_SCAN(ch_scan)
        ch_merge = COOPMAP_SCAN.out.sites.toSortedList { a, b -> a[0].k <=> b[0].k }
            .map { l -> [[id: 'scan'], l.collect { it[1] }] }
        COOPMAP_SCANMERGE(ch_merge)
        ch_sites = COOPMAP_SCANMERGE.out.sites
        ch_versions = ch_versions.mix(COOPMAP_SCANMERGE.out.versions)
    } else {
        COOPMAP_SCAN(Channel.of([[id: 'scan'], motifs, genome, gidx]))
        ch_sites = COOPMAP_SCAN.out.sites
    }
    ch_versions = ch_versions.mix(COOPMAP_SCAN.out.versions.first())

    // one map per entry: its model (converted when a checkpoint), pairs, ism, stats
    ch_maps = Channel.fromList(mapList())
    ch_ckpt = ch_maps.filter { it.model ==~ /.*\.(pth|pt|npz)$/ }.map { m -> [m, file(m.model, checkIfExists: true)] }
    COOPMAP_CONVERTMODEL(ch_ckpt)
    ch_model = ch_maps.filter { !(it.model ==~ /.*\.(pth|pt|npz)$/) }
        .map { m -> [m, file(m.model, checkIfExists: true)] }
        .mix(COOPMAP_CONVERTMODEL.out.model)
    ch_pairs_in = ch_model.combine(ch_sites.map { it[1] })
        .map { m, model, sites -> [m, sites, peaks, model, genome, gidx] }
    COOPMAP_PAIRS(ch_pairs_in)
    ch_versions = ch_versions.mix(COOPMAP_PAIRS.out.versions.first())

    def s = params.ism_shards as int
    ch_ism_in = COOPMAP_PAIRS.out.pairs.join(ch_model)
        .map { m, pairs, sources, model -> [m, pairs, sources, model, genome, gidx] }
    if (s > 1) {
        ch_ism_sh = ch_ism_in.flatMap { m, p, src, model, g, gi ->
            (1..s).collect { k -> [m + [shard: "${k}/${s}", k: k, map: m.id, id: "${m.id}.${k}"], p, src, model, g, gi] } }
        COOPMAP_ISM(ch_ism_sh)
        ch_ism_grouped = COOPMAP_ISM.out.effects
            .map { m, e -> [m.map, m.k, e] }
            .groupTuple(size: s)
            .map { id, ks, es -> [id, [ks, es].transpose().sort { it[0] }.collect { it[1] }] }
            .join(ch_model.map { m, model -> [m.id, m] })
            .map { id, es, m -> [m, es] }
        COOPMAP_ISMMERGE(ch_ism_grouped)
        ch_effects = COOPMAP_ISMMERGE.out.effects
    } else {
        COOPMAP_ISM(ch_ism_in)
        ch_effects = COOPMAP_ISM.out.effects
    }
    ch_versions = ch_versions.mix(COOPMAP_ISM.out.versions.first())
    COOPMAP_STATS(ch_effects)
    ch_versions = ch_versions.mix(COOPMAP_STATS.out.versions.first())

    // compare -> family
    if (params.queries) {
        def targets = file(params.targets ?: params.motifs, checkIfExists: true)
        COOPMAP_COMPARE(Channel.of([[id: 'compare'], file(params.queries, checkIfExists: true), targets]))
        if (params.labels) {
            COOPMAP_FAMILY(COOPMAP_COMPARE.out.matches.map { m, t -> [m, file(params.labels, checkIfExists: true), t] })
        }
    }
    // patterns -> annotation -> JOS per head, from each map's saturation of
    // --saturation_regions through the map's model (the model its ISM step uses), as the
    // Snakemake workflow does with saturation.regions and patterns.enabled; or from one
    // precomputed saturation table (--saturation)
    if (params.saturation_regions) {
        def regions = file(params.saturation_regions, checkIfExists: true)
        COOPMAP_SATURATION(ch_model.map { m, model -> [m, model, genome, gidx, regions] })
        ch_saturation = COOPMAP_SATURATION.out.saturation
        ch_versions = ch_versions.mix(COOPMAP_SATURATION.out.versions.first())
    } else if (params.saturation) {
        ch_saturation = Channel.of([[id: 'patterns'], file(params.saturation, checkIfExists: true)])
    }
    if (params.saturation_regions || params.saturation) {
        COOPMAP_PATTERNS(ch_saturation.map { m, sat -> [m, sat, genome, gidx] })
        def ptargets = file(params.patterns_targets ?: params.motifs, checkIfExists: true)
        COOPMAP_PATTERNSCOMPARE(COOPMAP_PATTERNS.out.patterns.map { m, meme, tsv -> [m, meme, ptargets] })
        COOPMAP_PATTERNSJOS(COOPMAP_PATTERNS.out.patterns.map { m, meme, tsv -> [m, tsv] }
            .join(COOPMAP_PATTERNSCOMPARE.out.matches))
        ch_versions = ch_versions.mix(COOPMAP_PATTERNS.out.versions.first())
    }
    ch_versions.unique().collectFile(name: 'software_versions.yml', storeDir: "${params.outdir}/pipeline_info")

    emit:
    stats = COOPMAP_STATS.out.stats
    versions = ch_versions
}

workflow {
    COOPMAP()
}
