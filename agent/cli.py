def main():
    print("promptfence")
